package io.amdc.server.families;

import io.amdc.server.testing.AmdcServer;
import io.amdc.server.testing.Differential;
import io.amdc.server.testing.RedisServerProcess;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.GeoCoordinate;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.args.GeoUnit;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class GeoCommandsTest {
    @Test
    void jedisBasics() {
        try (AmdcServer s = AmdcServer.start(); Jedis j = new Jedis(s.host(), s.port())) {
            assertThat(j.geoadd("Sicily", 13.361389, 38.115556, "Palermo")).isEqualTo(1);
            assertThat(j.geoadd("Sicily", 15.087269, 37.502669, "Catania")).isEqualTo(1);
            assertThat(j.geodist("Sicily", "Palermo", "Catania", GeoUnit.KM)).isCloseTo(166.2742, within(1e-9));
            assertThat(j.geohash("Sicily", "Palermo")).containsExactly("sqc8b49rny0");
            GeoCoordinate p = j.geopos("Sicily", "Palermo").get(0);
            assertThat(p.getLongitude()).isCloseTo(13.361389, within(1e-5));
            assertThat(j.georadius("Sicily", 15, 37, 200, GeoUnit.KM)).hasSize(2);
            assertThat(j.georadiusByMember("Sicily", "Palermo", 100, GeoUnit.KM).get(0).getMemberByString()).isEqualTo("Palermo");
        }
    }

    @Test
    void commandsMatchRedis() {
        assumeTrue(RedisServerProcess.available());
        try (Differential d = new Differential()) {
            d.runAll("GEOADD Sicily 13.361389 38.115556 Palermo 15.087269 37.502669 Catania",
                    "GEOADD Sicily NX CH 13.5 38.1 Palermo 12.5 37.8 Marsala", "GEOADD Sicily XX CH 13.4 38.1 Palermo",
                    "GEOADD Sicily NX XX 1 1 a", "GEOADD Sicily 1 1", "GEOADD Sicily 200 100 x", "GEOADD Sicily abc 1 x",
                    "GEOADD Sicily 1 85.06 x", "GEOADD Sicily -180 -85.05112878 edge",
                    "GEODIST Sicily Palermo Catania", "GEODIST Sicily Palermo Catania km", "GEODIST Sicily Palermo Catania mi",
                    "GEODIST Sicily Palermo Catania ft", "GEODIST Sicily Palermo Catania yd", "GEODIST Sicily Palermo nope",
                    "GEODIST Sicily a b km extra", "GEODIST nokey a b",
                    "GEOHASH Sicily Palermo Catania nope edge", "GEOHASH nokey a", "GEOPOS Sicily Palermo nope edge", "GEOPOS nokey a",
                    "GEORADIUS Sicily 15 37 200 km", "GEORADIUS Sicily 15 37 200 km WITHDIST WITHCOORD WITHHASH ASC",
                    "GEORADIUS Sicily 15 37 200 km DESC COUNT 1", "GEORADIUS Sicily 15 37 200 km COUNT 1 ANY",
                    "GEORADIUS Sicily 15 37 200 km ANY", "GEORADIUS Sicily 15 37 200 km COUNT 0", "GEORADIUS Sicily 15 37 -1 km",
                    "GEORADIUS Sicily 15 37 x km", "GEORADIUS Sicily 15 37 1 parsec", "GEORADIUS Sicily 15 37 200 km FOO",
                    "GEORADIUS Sicily 15 37 200 km STORE dst", "ZRANGE dst 0 -1 WITHSCORES",
                    "GEORADIUS Sicily 15 37 200 km STOREDIST dst", "ZRANGE dst 0 -1 WITHSCORES",
                    "GEORADIUS Sicily 15 37 200 km STORE dst WITHDIST", "GEORADIUS Sicily 15 37 1 m STORE dst", "ZCARD dst",
                    "GEORADIUS_RO Sicily 15 37 200 km STORE dst", "GEORADIUS_RO Sicily 15 37 200 km WITHDIST",
                    "GEORADIUSBYMEMBER Sicily Palermo 100 km WITHDIST", "GEORADIUSBYMEMBER Sicily nope 100 km",
                    "GEORADIUSBYMEMBER_RO Sicily Catania 300 km WITHCOORD DESC", "GEORADIUS nokey 15 37 200 km",
                    "GEOSEARCH Sicily FROMLONLAT 15 37 BYRADIUS 200 km ASC WITHDIST",
                    "GEOSEARCH Sicily FROMMEMBER Palermo BYBOX 400 400 km ASC WITHCOORD WITHDIST WITHHASH",
                    "GEOSEARCH Sicily FROMMEMBER Palermo BYBOX 100 40 km DESC", "GEOSEARCH Sicily FROMLONLAT 15 37 BYRADIUS 200 km",
                    "GEOSEARCH Sicily BYRADIUS 200 km", "GEOSEARCH Sicily FROMLONLAT 15 37 ASC",
                    "GEOSEARCH Sicily FROMLONLAT 15 37 FROMMEMBER Palermo BYRADIUS 1 km",
                    "GEOSEARCH Sicily FROMLONLAT 15 37 BYRADIUS 1 km BYBOX 1 1 km", "GEOSEARCH Sicily FROMMEMBER nope BYRADIUS 1 km",
                    "GEOSEARCH Sicily FROMLONLAT 15 37 BYBOX -1 1 km", "GEOSEARCH Sicily FROMLONLAT 15 37 BYRADIUS 200 km STORE x",
                    "GEOSEARCH nokey FROMMEMBER nope BYRADIUS 1 km", "GEOSEARCH Sicily FROMLONLAT 15 37 BYRADIUS 200 km COUNT -1",
                    "GEOSEARCHSTORE dst Sicily FROMLONLAT 15 37 BYRADIUS 200 km", "ZRANGE dst 0 -1 WITHSCORES",
                    "GEOSEARCHSTORE dst Sicily FROMLONLAT 15 37 BYBOX 400 400 km STOREDIST COUNT 2", "ZRANGE dst 0 -1 WITHSCORES",
                    "GEOSEARCHSTORE dst Sicily FROMLONLAT 15 37 BYRADIUS 200 km WITHDIST",
                    "GEOSEARCHSTORE dst nokey FROMLONLAT 15 37 BYRADIUS 200 km", "ZCARD dst",
                    "SET str v", "GEOADD str 1 1 a", "GEODIST str a b", "GEOPOS str a", "GEOHASH str a",
                    "GEOSEARCH str FROMLONLAT 1 1 BYRADIUS 1 km", "GEORADIUS str 1 1 1 km FOO");
            d.amdc().call("HELLO", "3");
            d.redis().call("HELLO", "3");
            d.runAll("GEOPOS Sicily Palermo nope", "GEODIST Sicily Palermo Catania",
                    "GEOSEARCH Sicily FROMLONLAT 15 37 BYRADIUS 200 km ASC WITHDIST WITHCOORD WITHHASH");
        }
    }

    /** Random points and searches of every size: results must match Redis member for member. */
    @Test
    void randomSearchesMatchRedis() {
        assumeTrue(RedisServerProcess.available());
        Random r = new Random(3);
        try (Differential d = new Differential()) {
            for (int i = 0; i < 300; i++) {
                double lon = -180 + r.nextDouble() * 360;
                double lat = -85 + r.nextDouble() * 170;
                if (i % 3 == 0) {
                    lon = 10 + r.nextDouble() * 5;
                    lat = 40 + r.nextDouble() * 5;
                }
                d.run("GEOADD", "g", String.valueOf(lon), String.valueOf(lat), "m" + i);
            }
            String[] radii = {"1", "50", "300", "1000", "5000", "20000"};
            for (int i = 0; i < 120; i++) {
                String lon = String.valueOf(-180 + r.nextDouble() * 360);
                String lat = String.valueOf(-85 + r.nextDouble() * 170);
                if (i % 2 == 0) {
                    lon = String.valueOf(10 + r.nextDouble() * 5);
                    lat = String.valueOf(40 + r.nextDouble() * 5);
                }
                String rad = radii[r.nextInt(radii.length)];
                if (i % 3 == 0) {
                    d.run("GEOSEARCH", "g", "FROMLONLAT", lon, lat, "BYBOX", rad, radii[r.nextInt(radii.length)], "km", "ASC", "WITHDIST", "WITHCOORD");
                } else if (i % 3 == 1) {
                    d.run("GEORADIUS", "g", lon, lat, rad, "km", "WITHDIST", "WITHHASH", "ASC");
                } else {
                    d.run("GEOSEARCH", "g", "FROMMEMBER", "m" + r.nextInt(300), "BYRADIUS", rad, "km", "COUNT", "5");
                }
                d.run("GEODIST", "g", "m" + r.nextInt(300), "m" + r.nextInt(300), "km");
            }
            d.run("GEOHASH", "g", "m1", "m2", "m3", "m4", "m5", "m100");
            d.run("GEOPOS", "g", "m1", "m2", "m3", "m4", "m5", "m100");
            d.assertSame();
        }
    }
}
