package io.amdc.server.families;

import io.amdc.server.testing.DifferentialSuite;
import org.junit.jupiter.api.Test;


/** Bitmap commands against AMDC and redis-server, replies compared byte for byte. */
class BitmapDifferentialTest extends DifferentialSuite {
    @Test
    void setbitGetbit() {
        all("SETBIT $a 7 1", "GET $a", "SETBIT $a 7 0", "SETBIT $a 100 1", "GET $a", "GETBIT $a 100", "GETBIT $a 99",
                "GETBIT $a 100000", "GETBIT $nope 5", "SETBIT $a -1 1", "SETBIT $a x 1", "SETBIT $a 1 2", "SETBIT $a 1 01",
                "SETBIT $a 1 -1", "SETBIT $a 1 x", "SETBIT $a x x", "SETBIT $a 4294967295 1", "SETBIT $a 4294967296 1",
                "GETBIT $a -1", "GETBIT $a 4294967296", "SETBIT $b 0 0", "GET $b", "SETBIT $a 1", "GETBIT $a");
    }

    @Test
    void bitcount() {
        all("SET $a foobar", "BITCOUNT $a", "BITCOUNT $a 0 0", "BITCOUNT $a 1 1", "BITCOUNT $a 1 1 BYTE",
                "BITCOUNT $a 5 30 BIT", "BITCOUNT $a -5 -1 bit", "BITCOUNT $a -1 -5", "BITCOUNT $a 3 1", "BITCOUNT $a 0 100",
                "BITCOUNT $a -100 -1", "BITCOUNT $a -100 -90", "BITCOUNT $a 0", "BITCOUNT $a 0 1 FOO", "BITCOUNT $a 0 1 BIT x",
                "BITCOUNT $a x 1", "BITCOUNT $a 0 y", "BITCOUNT $nope", "BITCOUNT $nope 0", "BITCOUNT $nope a b",
                "BITCOUNT $a 7 7 BIT", "BITCOUNT $a 1 47 BIT", "BITCOUNT $a 0 -1 BIT", "BITCOUNT $a 9 9 bit",
                "SET $long 0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ", "BITCOUNT $long",
                "BITCOUNT $long 3 57", "BITCOUNT $long 13 470 BIT");
        d.run("SET", p + "e", "");
        d.run("BITCOUNT", p + "e");
        d.run("BITCOUNT", p + "e", "0", "-1", "BIT");
        d.assertSame();
    }

    @Test
    void bitpos() {
        all("SET $a \u00ff\u00f0\u0000", "BITPOS $nope 1", "BITPOS $nope 0", "BITPOS $nope 2", "BITPOS $nope 1 x",
                "SET $b xyz", "BITPOS $b 1", "BITPOS $b 0", "BITPOS $b 1 1", "BITPOS $b 0 1 2", "BITPOS $b 1 2 -1 BYTE",
                "BITPOS $b 1 7 15 BIT", "BITPOS $b 0 7 15 bit", "BITPOS $b 1 -1", "BITPOS $b 0 -1", "BITPOS $b 1 5 2",
                "BITPOS $b 1 100", "BITPOS $b 0 100", "BITPOS $b 2", "BITPOS $b x", "BITPOS $b 1 x", "BITPOS $b 1 0 x",
                "BITPOS $b 1 0 1 FOO", "BITPOS $b 1 0 1 BIT x", "BITPOS $b -1", "BITPOS $b 1 -100 -90",
                "BITPOS $b 1 -3 -6", "BITPOS $b 0 -3 -6 BIT", "BITPOS $b 0 -1 -2", "BITCOUNT $b -3 -6");
        d.run("SET", p + "f", new byte[]{(byte) 0xff, (byte) 0xff, (byte) 0xff});
        all("BITPOS $f 0", "BITPOS $f 1", "BITPOS $f 0 1", "BITPOS $f 0 0 -1", "BITPOS $f 0 3 20 BIT", "BITPOS $f 0 0 23 BIT",
                "BITPOS $f 0 5 BIT", "BITPOS $f 0 1 -1 BYTE");
        d.run("SET", p + "z", new byte[]{0, 0, 0, 1});
        all("BITPOS $z 1", "BITPOS $z 0", "BITPOS $z 1 0 2", "BITPOS $z 1 31 31 BIT", "BITPOS $z 1 3 30 BIT");
        d.run("SET", p + "e", "");
        d.run("BITPOS", p + "e", "0");
        d.run("BITPOS", p + "e", "1");
        d.assertSame();
    }

    @Test
    void bitop() {
        all("SET $a abc", "SET $b xy", "BITOP AND $d $a $b", "GET $d", "BITOP OR $d $a $b", "GET $d",
                "BITOP XOR $d $a $b $nope", "GET $d", "BITOP NOT $d $a", "GET $d", "BITOP NOT $d $a $b",
                "BITOP and $d $a", "GET $d", "BITOP FOO $d $a", "BITOP AND $d $nope1 $nope2", "GET $d",
                "BITOP OR $a $a $b", "GET $a", "BITOP AND $d", "BITOP NOT $d $nope", "SET $t x EX 100", "BITOP OR $t $b",
                "GET $t");
    }

    @Test
    void bitfield() {
        all("BITFIELD $a", "BITFIELD $a GET u8 0", "BITFIELD $a SET u8 0 255 GET u8 0", "BITFIELD $a INCRBY u8 0 1",
                "BITFIELD $a OVERFLOW SAT INCRBY u8 0 300", "BITFIELD $a OVERFLOW FAIL INCRBY u8 0 1", "GET $a",
                "BITFIELD $a SET i8 #1 -128 GET i8 #1 INCRBY i8 #1 -1", "BITFIELD $a OVERFLOW SAT INCRBY i8 #1 -1000",
                "BITFIELD $a OVERFLOW FAIL SET i4 3 100 SET u4 3 15 OVERFLOW WRAP SET u4 3 17",
                "BITFIELD $a SET i64 0 -1 GET i64 0 GET u63 1 INCRBY i64 0 -9223372036854775807",
                "BITFIELD $a OVERFLOW WRAP INCRBY i64 0 -9223372036854775807 GET i64 0",
                "BITFIELD $a OVERFLOW SAT INCRBY i64 0 -9223372036854775807", "BITFIELD $a OVERFLOW FAIL INCRBY i64 0 -1",
                "BITFIELD $a SET u63 0 9223372036854775807 INCRBY u63 0 1 OVERFLOW SAT INCRBY u63 0 9223372036854775807",
                "BITFIELD $a SET u1 5 3 SET i1 5 1 GET i1 5 OVERFLOW SAT SET i1 5 -5 SET u1 6 -7",
                "BITFIELD $a GET u64 0", "BITFIELD $a GET i65 0", "BITFIELD $a GET i0 0", "BITFIELD $a GET x8 0",
                "BITFIELD $a GET u 0", "BITFIELD $a GET u08 0", "BITFIELD $a GET u8 -1", "BITFIELD $a GET u8 x",
                "BITFIELD $a GET u8 #x", "BITFIELD $a GET u8 #-1", "BITFIELD $a SET u8 0 x", "BITFIELD $a SET u8 0",
                "BITFIELD $a GET u8", "BITFIELD $a OVERFLOW", "BITFIELD $a OVERFLOW FOO", "BITFIELD $a FOO",
                "BITFIELD $a GET u8 4294967295", "BITFIELD $a GET u8 4294967296", "BITFIELD $a GET u8 #536870911",
                "BITFIELD $a GET u8 #536870912", "BITFIELD $a INCRBY u8 0 x", "GET $a",
                "BITFIELD $n OVERFLOW FAIL INCRBY u2 100 10", "GET $n", "BITFIELD $m GET u8 8", "GET $m",
                "BITFIELD $w GET u16 4 SET i5 #7 3 INCRBY u3 2 9 GET u16 4", "GET $w",
                "BITFIELD_RO $a GET u8 0 GET i16 3", "BITFIELD_RO $a SET u8 0 1", "BITFIELD_RO $a INCRBY u8 0 1",
                "BITFIELD_RO $a SET bad 0 1", "BITFIELD_RO $a GET u8 0 SET u8 0 1 GET bad 0", "BITFIELD_RO $a",
                "BITFIELD_RO $a OVERFLOW SAT GET u8 0", "BITFIELD_RO $nope GET i8 0", "bitfield $a get U8 0 get I8 0");
    }
}
