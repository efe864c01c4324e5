package io.amdc.core.types;

/** A hash as SORT's "key->field" BY/GET patterns see it. */
public interface FieldSource extends TypedValue {
    /** The field's value, or null. */
    byte[] fieldValue(byte[] field);
}
