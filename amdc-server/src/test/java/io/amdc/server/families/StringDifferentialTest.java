package io.amdc.server.families;

import io.amdc.server.testing.DifferentialSuite;
import org.junit.jupiter.api.Test;


/**
 * String commands sent to AMDC and to redis-server, replies compared byte for byte. Each test uses
 * its own key prefix because DEL/FLUSHALL belong to another family. Wrong-type cases wait for lists.
 */
class StringDifferentialTest extends DifferentialSuite {
    /** HELLO replies carry server details, so switch both protocols without comparing. */
    static void hello(int proto) {
        d.amdc().call("HELLO", proto);
        d.redis().call("HELLO", proto);
    }

    @Test
    void getSetAndOptions() {
        all("GET $k", "SET $k v", "GET $k", "SET $k v2 NX", "SET $k v2 XX", "GET $k", "SET $n v XX", "SET $n v NX",
                "SET $k v NX XX", "SET $k v XX NX", "SET $k v GET", "SET $k w nx get", "SET $x y xx GET",
                "SET $k v EX 10 EX 20", "SET $k v EX 10 PX 20", "SET $k v KEEPTTL KEEPTTL", "SET $k v EX 10 KEEPTTL",
                "SET $k v KEEPTTL PX 10", "SET $k v EX abc FOO", "SET $k v EX abc", "SET $k v EX 0", "SET $k v EX -1",
                "SET $k v PX 0", "SET $k v EXAT 0", "SET $k v PXAT -5", "SET $k v EX 9223372036854775807",
                "SET $k v PX 9223372036854775807", "SET $k v EX", "SET $k v FOO", "SET $k v GET GET",
                "SET $k v EXAT 1", "GET $k", "SET $k v PXAT 1 GET", "GET $k", "SET $k", "GET $k extra");
    }

    @Test
    void setKeepsOrReplacesTheTtlAndAnyType() {
        all("SET $k v EX 100", "TTL $k", "SET $k w", "TTL $k", "SET $k v EX 100", "SET $k w KEEPTTL", "TTL $k",
                "SET $k x NX EX 500", "TTL $k", "GET $k", "SET $k y XX EX 300", "TTL $k", "GET $k",
                "SET $n v XX EX 100", "EXISTS $n", "SET $n v NX EX 200", "TTL $n",
                "HSET $h f v", "SET $h s", "TYPE $h", "GET $h", "RPUSH $l a", "SET $l s NX", "TYPE $l",
                "SET $l s XX KEEPTTL", "TYPE $l", "GET $l", "SET $k v PX 1", "DEBUG SLEEP 0.01", "SET $k z XX",
                "EXISTS $k", "SET $k z NX", "GET $k", "TTL $k");
    }

    @Test
    void incrDecr() {
        all("INCR $a", "INCR $a", "DECR $a", "INCRBY $a 10", "DECRBY $a 100", "INCRBY $a -5", "INCRBY $a abc",
                "INCRBY $a 1.5", "INCRBY $a ' 1'", "SET $b 9223372036854775807", "INCR $b", "INCRBY $b 0",
                "SET $c -9223372036854775808", "DECR $c", "DECRBY $a -9223372036854775808", "DECRBY $a 9223372036854775807",
                "SET $d 007", "INCR $d", "SET $d +1", "INCR $d", "SET $d abc", "INCR $d", "SET $d 1e3", "INCR $d",
                "SET $d 12345678901234567890", "INCR $d", "INCRBY $e 9223372036854775808", "GET $a",
                // Counters rewritten in their cell: same width, wider, narrower, sign changes, TTL kept.
                "SET $f 9", "INCR $f", "GET $f", "DECR $f", "GET $f", "SET $f -1", "INCR $f", "GET $f", "DECR $f",
                "DECR $f", "GET $f", "SET $f 99 EX 100", "INCRBY $f -90", "GET $f", "TTL $f", "INCRBY $f 5", "GET $f",
                "SET $g 9223372036854775806", "INCR $g", "GET $g", "DECRBY $g 9223372036854775807", "GET $g",
                "DECRBY $g 9223372036854775807", "GET $g", "DECR $g", "GET $g", "INCR $g", "GET $g",
                "RPUSH $h x", "INCR $h", "GET $h");
    }

    @Test
    void multi() {
        all("MSET $a 1 $b 2", "MGET $a $b $c", "MSET $a", "MSET $a 1 $b", "MSETNX $c 3 $d 4", "MGET $c $d",
                "MSETNX $c 5 $e 6", "MGET $c $e", "MSETNX $f", "MSETNX $f 1 $g");
    }

    @Test
    void getexGetdelGetset() {
        all("GETEX $k", "SET $k v", "GETEX $k", "GETEX $k EX 100", "GETEX $k PERSIST", "GETEX $k PERSIST PERSIST",
                "GETEX $k EX 5 PERSIST", "GETEX $k PERSIST EX 5", "GETEX $k EX 1 EX 2", "GETEX $k EX 1 PX 2",
                "GETEX $k EX", "GETEX $k EX abc", "GETEX $k EX 0", "GETEX $k PX -1", "GETEX $k EXAT 0",
                "GETEX $k KEEPTTL", "GETEX $k NX", "GETEX $k GET", "GETEX $k FOO", "GETEX $k PXAT 1", "GET $k",
                "GETEX $missing EX abc", "GETEX $missing EX 10",
                "GETDEL $k", "SET $k v", "GETDEL $k", "GETDEL $k", "GET $k",
                "GETSET $g a", "GETSET $g b", "GET $g", "GETSET $g");
    }

    @Test
    void setnxSetexPsetex() {
        all("SETNX $a 1", "SETNX $a 2", "GET $a", "SETEX $b 100 v", "GET $b", "SETEX $b 0 v", "SETEX $b -1 v",
                "SETEX $b abc v", "SETEX $b 9223372036854775807 v", "PSETEX $c 100000 v", "GET $c", "PSETEX $c 0 v",
                "PSETEX $c x v", "SETEX $b 10", "PSETEX $c 10", "SETNX $a");
    }

    @Test
    void appendStrlenRanges() {
        all("APPEND $a hello", "APPEND $a world", "GET $a", "STRLEN $a", "STRLEN $nope",
                "GETRANGE $a 0 4", "GETRANGE $a -5 -1", "GETRANGE $a 5 3", "GETRANGE $a -1 -5", "GETRANGE $a 0 100",
                "GETRANGE $a -100 2", "GETRANGE $a 100 200", "GETRANGE $a -100 -90", "GETRANGE $a x 1", "GETRANGE $a 0 y",
                "GETRANGE $nope 0 -1", "GETRANGE $nope x 1", "SUBSTR $a 1 3", "SUBSTR $a -3 -1",
                "SETRANGE $a 0 J", "GET $a", "SETRANGE $a 12 !", "GET $a", "STRLEN $a", "SETRANGE $b 3 x", "GET $b",
                "SETRANGE $a -1 x", "SETRANGE $a x x", "SETRANGE $a 536870911 x", "SETRANGE $a 536870912 x",
                "SETRANGE $c 600000000 x", "APPEND $a");
        d.run("SETRANGE", p + "a", "600000000", "");
        d.run("SETRANGE", p + "e", "1", "");
        d.run("GET", p + "e");
        d.run("SET", p + "f", "");
        d.run("GETRANGE", p + "f", "0", "-1");
        d.run("STRLEN", p + "f");
        d.run("APPEND", p + "f", "");
        d.assertSame();
    }

    @Test
    void incrByFloat() {
        all("INCRBYFLOAT $a 0.1", "INCRBYFLOAT $a 0.2", "INCRBYFLOAT $a 10.5", "INCRBYFLOAT $a -10.8",
                "INCRBYFLOAT $a 5.0e3", "INCRBYFLOAT $a 1e-20", "INCRBYFLOAT $a 0x10", "INCRBYFLOAT $a 0x1.8p1",
                "INCRBYFLOAT $a .5", "INCRBYFLOAT $a 5.", "INCRBYFLOAT $a +1.5", "INCRBYFLOAT $a -0",
                "INCRBYFLOAT $a abc", "INCRBYFLOAT $a 1e", "INCRBYFLOAT $a nan", "INCRBYFLOAT $a inf",
                "INCRBYFLOAT $a -inf", "INCRBYFLOAT $a 1e5000", "INCRBYFLOAT $a 1e-5000", "INCRBYFLOAT $a 1.0f",
                "GET $a", "INCRBYFLOAT $b 1e400", "INCRBYFLOAT $b 1", "SET $c 1e4931", "INCRBYFLOAT $c 1e4931",
                "INCRBYFLOAT $c 1e4932", "SET $d hello", "INCRBYFLOAT $d 1", "SET $e 3", "INCRBYFLOAT $e 1.25",
                "INCRBYFLOAT $f 3.0", "INCRBYFLOAT $f -3", "GET $f", "INCRBYFLOAT $g 1.23456789012345678901234",
                "INCRBYFLOAT $h 0.0000000000000000001", "INCRBYFLOAT $i 123456789012345678901234567890",
                "INCRBYFLOAT $j 1E3", "INCRBYFLOAT $j 0X10", "INCRBYFLOAT $j INF", "INCRBYFLOAT $j Infinity",
                "INCRBYFLOAT $k 2.5 extra", "INCRBYFLOAT $l 1.1", "INCRBYFLOAT $l 2.2", "INCRBYFLOAT $l 3.3");
        d.run("INCRBYFLOAT", p + "m", " 1");
        d.run("INCRBYFLOAT", p + "m", "1 ");
        d.run("INCRBYFLOAT", p + "m", "");
        d.run("SET", p + "n", " 1");
        d.run("INCRBYFLOAT", p + "n", "1");
        d.assertSame();
    }

    @Test
    void lcs() {
        all("SET $a ohmytext", "SET $b mynewtext", "LCS $a $b", "LCS $a $b LEN", "LCS $a $b IDX",
                "LCS $a $b IDX MINMATCHLEN 4", "LCS $a $b IDX WITHMATCHLEN", "LCS $a $b IDX MINMATCHLEN 2 WITHMATCHLEN",
                "LCS $a $b IDX MINMATCHLEN -3", "LCS $a $b LEN IDX", "LCS $a $b IDX LEN", "LCS $a $b MINMATCHLEN",
                "LCS $a $b MINMATCHLEN x", "LCS $a $b FOO", "LCS $a $nope", "LCS $nope $a IDX", "LCS $a",
                "LCS $a $a IDX WITHMATCHLEN", "SET $c abcabcabc", "SET $d cbacbacba", "LCS $c $d", "LCS $c $d IDX WITHMATCHLEN",
                "LCS $d $c IDX", "LCS $c $d LEN", "LCS $a $b len", "LCS $a $b idx withmatchlen minmatchlen 1");
        hello(3);
        all("LCS $a $b IDX WITHMATCHLEN", "LCS $nope $nope2 IDX", "LCS $a $b LEN");
        hello(2);
        d.assertSame();
    }
}
