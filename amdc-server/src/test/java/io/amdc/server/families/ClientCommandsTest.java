package io.amdc.server.families;

import io.amdc.server.testing.AmdcServer;
import io.amdc.server.testing.Differential;
import io.amdc.server.testing.RawClient;
import io.amdc.server.testing.RedisServerProcess;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.ClientKillParams;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class ClientCommandsTest {
    /** Redis 7.2's CLIENT LIST fields, in order. */
    private static final Pattern LINE = Pattern.compile("id=(\\d+) addr=(\\S+) laddr=(\\S+) fd=\\d+ name=(\\S*) age=\\d+ "
            + "idle=\\d+ flags=(\\S+) db=(\\d+) sub=0 psub=0 ssub=0 multi=-1 qbuf=\\d+ qbuf-free=\\d+ argv-mem=\\d+ "
            + "multi-mem=\\d+ rbs=\\d+ rbp=\\d+ obl=\\d+ oll=\\d+ omem=\\d+ tot-mem=\\d+ events=r cmd=(\\S+) "
            + "user=default redir=-1 resp=([23]) lib-name=(\\S*) lib-ver=(\\S*)");

    @Test
    void idNameInfoWithJedis() {
        try (AmdcServer s = AmdcServer.start(); Jedis j = new Jedis(s.host(), s.port())) {
            long id = j.clientId();
            assertThat(id).isPositive();
            assertThat(j.clientGetname()).isNull();
            assertThat(j.clientSetname("worker-1")).isEqualTo("OK");
            assertThat(j.clientGetname()).isEqualTo("worker-1");
            String info = j.clientInfo();
            assertThat(info).endsWith("\n");
            Matcher m = LINE.matcher(info.trim());
            assertThat(m.matches()).as(info).isTrue();
            assertThat(m.group(1)).isEqualTo(Long.toString(id));
            assertThat(m.group(4)).isEqualTo("worker-1");
            assertThat(m.group(7)).isEqualTo("client|info");
            assertThat(j.clientSetname("")).isEqualTo("OK");
            assertThat(j.clientGetname()).isNull();
        }
    }

    @Test
    void listShowsEveryClientInIdOrder() {
        try (AmdcServer s = AmdcServer.start(); RawClient a = s.client(); RawClient b = s.client()) {
            a.call("CLIENT", "SETNAME", "alpha");
            b.call("SELECT", "3");
            b.call("HELLO", "3");
            String list = a.call("CLIENT", "LIST");
            String[] lines = list.split("\n");
            assertThat(lines).hasSize(2);
            // Connections accepted on different event loops may get their ids in either order.
            boolean aFirst = lines[0].contains("cmd=client|list");
            Matcher first = LINE.matcher(lines[aFirst ? 0 : 1]);
            Matcher second = LINE.matcher(lines[aFirst ? 1 : 0]);
            assertThat(first.matches()).as(lines[0]).isTrue();
            assertThat(second.matches()).as(lines[1]).isTrue();
            long id0 = Long.parseLong(lines[0].substring(3, lines[0].indexOf(' ')));
            long id1 = Long.parseLong(lines[1].substring(3, lines[1].indexOf(' ')));
            assertThat(id0).isLessThan(id1);
            assertThat(first.group(4)).isEqualTo("alpha");
            assertThat(first.group(5)).isEqualTo("N");
            assertThat(first.group(7)).isEqualTo("client|list");
            assertThat(second.group(6)).isEqualTo("3");
            assertThat(second.group(8)).isEqualTo("3");
            assertThat(second.group(7)).isEqualTo("hello");

            String bId = b.call("CLIENT", "ID").replace("(integer) ", "");
            assertThat(a.call("CLIENT", "LIST", "ID", bId, "99999")).startsWith("id=" + bId + " ").doesNotContain("\nid=");
            assertThat(a.call("CLIENT", "LIST", "TYPE", "normal").split("\n")).hasSize(2);
            assertThat(a.call("CLIENT", "LIST", "TYPE", "pubsub")).isEmpty();
        }
    }

    @Test
    void killByAddrIdAndFilters() {
        try (AmdcServer s = AmdcServer.start(); RawClient a = s.client(); RawClient b = s.client(); RawClient c = s.client()) {
            String bLine = b.call("CLIENT", "INFO");
            Matcher m = LINE.matcher(bLine.trim());
            assertThat(m.matches()).isTrue();
            assertThat(a.call("CLIENT", "KILL", m.group(2))).isEqualTo("OK");
            assertThat(b.isClosedByServer()).isTrue();

            String cId = c.call("CLIENT", "ID").replace("(integer) ", "");
            assertThat(a.call("CLIENT", "KILL", "ID", cId)).isEqualTo("(integer) 1");
            assertThat(c.isClosedByServer()).isTrue();

            // SKIPME defaults to yes: nobody else left to kill.
            assertThat(a.call("CLIENT", "KILL", "USER", "default")).isEqualTo("(integer) 0");
            assertThat(a.call("CLIENT", "KILL", "MAXAGE", "1000")).isEqualTo("(integer) 0");
            assertThat(a.call("CLIENT", "KILL", "LADDR", "127.0.0.1:1")).isEqualTo("(integer) 0");
            // SKIPME no kills the caller itself, after its reply.
            assertThat(a.call("CLIENT", "KILL", "SKIPME", "no")).isEqualTo("(integer) 1");
            assertThat(a.isClosedByServer()).isTrue();
        }
    }

    @Test
    void killWithJedisParams() {
        try (AmdcServer s = AmdcServer.start(); Jedis j = new Jedis(s.host(), s.port()); Jedis victim = new Jedis(s.host(), s.port())) {
            long id = victim.clientId();
            assertThat(j.clientKill(new ClientKillParams().id(Long.toString(id)))).isEqualTo(1);
            assertThat(j.clientList()).doesNotContain("id=" + id + " ");
        }
    }

    @Test
    void setinfoNoEvictNoTouchReply() {
        try (AmdcServer s = AmdcServer.start(); RawClient c = s.client()) {
            assertThat(c.call("CLIENT", "SETINFO", "LIB-NAME", "mylib")).isEqualTo("OK");
            assertThat(c.call("CLIENT", "SETINFO", "lib-ver", "1.2.3")).isEqualTo("OK");
            assertThat(c.call("CLIENT", "INFO")).contains(" lib-name=mylib lib-ver=1.2.3\n");
            assertThat(c.call("CLIENT", "SETINFO", "LIB-NAME", "has space"))
                    .isEqualTo("!ERR LIB-NAME cannot contain spaces, newlines or special characters.");
            assertThat(c.call("CLIENT", "SETINFO", "bogus", "x")).isEqualTo("!ERR Unrecognized option 'bogus'");

            assertThat(c.call("CLIENT", "NO-EVICT", "on")).isEqualTo("OK");
            assertThat(c.call("CLIENT", "NO-TOUCH", "ON")).isEqualTo("OK");
            assertThat(c.call("CLIENT", "INFO")).contains(" flags=eT ");
            assertThat(s.engine().clients().values().iterator().next().noTouch()).isTrue();
            assertThat(c.call("CLIENT", "NO-TOUCH", "off")).isEqualTo("OK");
            assertThat(c.call("CLIENT", "NO-EVICT", "off")).isEqualTo("OK");
            assertThat(c.call("CLIENT", "INFO")).contains(" flags=N ");
            assertThat(c.call("CLIENT", "NO-TOUCH", "maybe")).isEqualTo("!ERR syntax error");

            // REPLY OFF silences everything until ON; SKIP silences itself and the next command.
            c.send(RawClient.encode("CLIENT", "REPLY", "OFF"));
            c.send(RawClient.encode("SET", "a", "1"));
            assertThat(c.call("CLIENT", "REPLY", "ON")).isEqualTo("OK");
            c.send(RawClient.encode("CLIENT", "REPLY", "SKIP"));
            c.send(RawClient.encode("GET", "a"));
            assertThat(c.call("ECHO", "after")).isEqualTo("after");
            assertThat(c.call("GET", "a")).isEqualTo("1");
            assertThat(c.call("CLIENT", "HELP")).startsWith("[CLIENT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:");
        }
    }

    @Test
    void lettuceClientCommands() {
        try (AmdcServer s = AmdcServer.start()) {
            RedisClient client = RedisClient.create("redis://127.0.0.1:" + s.port());
            try (StatefulRedisConnection<String, String> conn = client.connect()) {
                assertThat(conn.sync().clientSetname("lettuce-conn")).isEqualTo("OK");
                assertThat(conn.sync().clientGetname()).isEqualTo("lettuce-conn");
                assertThat(conn.sync().clientId()).isPositive();
                assertThat(conn.sync().clientList()).contains("name=lettuce-conn");
                // Lettuce announces itself with CLIENT SETINFO during its handshake.
                assertThat(conn.sync().clientInfo()).contains(" lib-name=Lettuce lib-ver=");
            } finally {
                client.shutdown();
            }
        }
    }

    @Test
    void differentialClientErrors() {
        assumeTrue(RedisServerProcess.available());
        try (Differential d = new Differential()) {
            d.runAll("CLIENT", "CLIENT bogus", "CLIENT KILL 1.2.3.4:5", "CLIENT KILL ID abc", "CLIENT KILL ID 0",
                    "CLIENT KILL ID 99999", "CLIENT KILL TYPE bogus", "CLIENT KILL USER bob", "CLIENT KILL SKIPME maybe",
                    "CLIENT KILL bogus x", "CLIENT KILL ID", "CLIENT KILL ADDR 1.2.3.4:5", "CLIENT KILL LADDR 1.2.3.4:5",
                    "CLIENT KILL TYPE normal", "CLIENT KILL TYPE master", "CLIENT LIST TYPE bogus",
                    "CLIENT LIST ID abc", "CLIENT LIST ID 1 x", "CLIENT LIST bogus", "CLIENT LIST ID 99999",
                    "CLIENT LIST TYPE replica", "CLIENT SETNAME a\u0001b", "CLIENT SETNAME", "CLIENT REPLY bogus",
                    "CLIENT NO-EVICT maybe", "CLIENT GETNAME", "CLIENT SETNAME me", "CLIENT GETNAME", "CLIENT ID x",
                    "CLIENT INFO x", "CLIENT NO-EVICT on", "CLIENT NO-EVICT off", "CLIENT REPLY ON");
        }
    }
}
