package io.amdc.core.families;

import io.amdc.core.config.Config;
import io.amdc.core.config.ConfigParam;
import io.amdc.core.types.SetValue;

/**
 * The packed-encoding thresholds the type commands read on every write (hash-max-listpack-*,
 * set-max-*, zset-max-listpack-*, list-max-listpack-size, stream-node-max-*), held as parsed
 * parameters so a command reads a field instead of looking a name up in the config map. One per
 * engine; CONFIG SET is seen at once (the parameters are the live ones).
 */
public final class EncodingLimits {
    private final ConfigParam hashEntries;
    private final ConfigParam hashValue;
    private final ConfigParam zsetEntries;
    private final ConfigParam zsetValue;
    private final ConfigParam listFill;
    private final ConfigParam streamEntries;
    private final ConfigParam streamBytes;
    /** Rebuilt when one of its three parameters changes; a set write passes it down as it is. */
    private volatile SetValue.Limits set;

    public EncodingLimits(Config config) {
        hashEntries = config.param("hash-max-listpack-entries");
        hashValue = config.param("hash-max-listpack-value");
        zsetEntries = config.param("zset-max-listpack-entries");
        zsetValue = config.param("zset-max-listpack-value");
        listFill = config.param("list-max-listpack-size");
        streamEntries = config.param("stream-node-max-entries");
        streamBytes = config.param("stream-node-max-bytes");
        ConfigParam intset = config.param("set-max-intset-entries");
        ConfigParam setEntries = config.param("set-max-listpack-entries");
        ConfigParam setValue = config.param("set-max-listpack-value");
        Runnable rebuild = () -> set = new SetValue.Limits(intset.asLong(), setEntries.asLong(), setValue.asLong());
        rebuild.run();
        for (ConfigParam p : new ConfigParam[]{intset, setEntries, setValue}) p.onChange(x -> rebuild.run());
    }

    public SetValue.Limits set() {
        return set;
    }

    public long hashEntries() {
        return hashEntries.asLong();
    }

    public long hashValue() {
        return hashValue.asLong();
    }

    public long zsetEntries() {
        return zsetEntries.asLong();
    }

    public long zsetValue() {
        return zsetValue.asLong();
    }

    public int listFill() {
        return (int) listFill.asLong();
    }

    public long streamEntries() {
        return streamEntries.asLong();
    }

    public long streamBytes() {
        return streamBytes.asLong();
    }
}
