package io.amdc.server.families;

import io.amdc.server.testing.AmdcServer;
import io.amdc.server.testing.Differential;
import io.amdc.server.testing.RedisServerProcess;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.SortingParams;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class SortCommandsTest {
    @Test
    void jedisSortsZsets() {
        try (AmdcServer s = AmdcServer.start(); Jedis j = new Jedis(s.host(), s.port())) {
            j.zadd("z", Map.of("3", 1.0, "1", 2.0, "2", 3.0));
            assertThat(j.sort("z")).containsExactly("1", "2", "3");
            assertThat(j.sort("z", new SortingParams().desc().limit(0, 2))).containsExactly("3", "2");
            j.set("w_1", "30");
            j.set("w_2", "20");
            j.set("w_3", "10");
            assertThat(j.sort("z", new SortingParams().by("w_*").get("#", "w_*"))).containsExactly("3", "10", "2", "20", "1", "30");
            assertThat(j.sortReadonly("z", new SortingParams().alpha().desc())).containsExactly("3", "2", "1");
        }
    }

    @Test
    void sortMatchesRedis() {
        assumeTrue(RedisServerProcess.available());
        try (Differential d = new Differential()) {
            d.runAll("ZADD z 1 c 2 a 3 b 4 10 5 9", "ZADD n 5 3 4 1.5 3 -2 2 10 1 inf",
                    "SORT n", "SORT n DESC", "SORT n LIMIT 1 2", "SORT n LIMIT -1 2", "SORT n LIMIT 2 -1", "SORT n LIMIT 10 2",
                    "SORT z", "SORT z ALPHA", "SORT z ALPHA DESC LIMIT 0 3",
                    "SORT z BY nosort", "SORT z BY nosort DESC", "SORT z BY nosort LIMIT 1 2", "SORT z BY nosort DESC LIMIT 1 2",
                    "SET w_c 3", "SET w_a 1", "SET w_b 2", "SET w_10 x", "SET w_9 -1",
                    "SORT z BY w_* ALPHA", "SORT z BY w_* ALPHA DESC GET # GET w_*", "SORT z BY w_*", "SORT z BY w_* GET w_* GET nope_*",
                    "SORT z BY nosort GET w_* GET #", "SORT z BY nosort GET w_*->f", "SORT z GET w", "SORT n BY missing_*",
                    "SORT z LIMIT 0", "SORT z FOO", "SORT z LIMIT a b", "SORT_RO z ALPHA", "SORT_RO z STORE x", "SORT nokey",
                    "SORT nokey STORE dst", "ZCARD dst", "SET str v", "SORT str", "SORT_RO str ALPHA",
                    "SORT n BY nosort STORE dst2 LIMIT 5 5");
        }
    }
}
