package io.amdc.persist.rdb;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A hook for value classes outside amdc-core's types (every core type has its codec in
 * {@link ValueCodec}): a value an extension claims cannot be saved, and the extension may throw
 * instead, which fails the save (tests use this to exercise the failed-save path).
 */
public interface RdbTypeExtension {
    /** Non-null when this extension owns {@code value} (it may also throw to fail the save). */
    RdbValue describe(Object value);

    List<RdbTypeExtension> REGISTERED = new CopyOnWriteArrayList<>();

    static void register(RdbTypeExtension e) {
        REGISTERED.add(e);
    }
}
