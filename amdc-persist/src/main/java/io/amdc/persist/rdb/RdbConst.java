package io.amdc.persist.rdb;

/** RDB value types and opcodes (the documented file format). */
final class RdbConst {
    private RdbConst() {
    }

    /** The version AMDC writes: Redis 7.0's, so 7.0 and later load AMDC's files and DUMP payloads. */
    static final int WRITE_VERSION = 10;

    static final int T_STRING = 0;
    static final int T_LIST = 1;
    static final int T_SET = 2;
    static final int T_ZSET = 3;
    static final int T_HASH = 4;
    static final int T_ZSET_2 = 5;
    static final int T_MODULE = 6;
    static final int T_MODULE_2 = 7;
    static final int T_HASH_ZIPMAP = 9;
    static final int T_LIST_ZIPLIST = 10;
    static final int T_SET_INTSET = 11;
    static final int T_ZSET_ZIPLIST = 12;
    static final int T_HASH_ZIPLIST = 13;
    static final int T_LIST_QUICKLIST = 14;
    static final int T_STREAM_LISTPACKS = 15;
    static final int T_HASH_LISTPACK = 16;
    static final int T_ZSET_LISTPACK = 17;
    static final int T_LIST_QUICKLIST_2 = 18;
    static final int T_STREAM_LISTPACKS_2 = 19;
    static final int T_SET_LISTPACK = 20;
    static final int T_STREAM_LISTPACKS_3 = 21;

    static final int OP_SLOT_INFO = 244;
    static final int OP_FUNCTION2 = 245;
    static final int OP_FUNCTION_PRE_GA = 246;
    static final int OP_MODULE_AUX = 247;
    static final int OP_IDLE = 248;
    static final int OP_FREQ = 249;
    static final int OP_AUX = 250;
    static final int OP_RESIZEDB = 251;
    static final int OP_EXPIRETIME_MS = 252;
    static final int OP_EXPIRETIME = 253;
    static final int OP_SELECTDB = 254;
    static final int OP_EOF = 255;
}
