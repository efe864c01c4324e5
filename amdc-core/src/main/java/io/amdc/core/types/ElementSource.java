package io.amdc.core.types;

import java.util.function.Consumer;

/**
 * What SORT and the sorted-set algebra (ZUNION & co.) need from a list or a set: its elements in
 * its natural order. The list and set types implement this so they plug into those commands
 * without the commands knowing their classes.
 */
public interface ElementSource extends TypedValue {
    long elementCount();

    void forEachElement(Consumer<byte[]> action);
}
