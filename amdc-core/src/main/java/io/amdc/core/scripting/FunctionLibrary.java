package io.amdc.core.scripting;

import java.util.LinkedHashMap;
import java.util.Map;

/** A library loaded with FUNCTION LOAD: its source and the functions it registered. */
final class FunctionLibrary {
    /** A registered function; {@code ref} is valid only in the Lua state that loaded it. */
    record Fn(String name, String description, long flags, int ref) {
    }

    final String name;
    final String code;   // the source, for FUNCTION LIST WITHCODE / DUMP
    final byte[] body;   // the source as compiled (shebang line blanked)
    final Map<String, Fn> functions = new LinkedHashMap<>();

    FunctionLibrary(String name, String code, byte[] body) {
        this.name = name;
        this.code = code;
        this.body = body;
    }
}
