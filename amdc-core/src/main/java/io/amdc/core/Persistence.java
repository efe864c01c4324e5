package io.amdc.core;

/**
 * What the dispatcher, INFO, SHUTDOWN and DEBUG need from the persistence layer, which lives in a
 * module above core (amdc-persist) and installs itself with {@link Engine#persistence(Persistence)}.
 * {@link #NONE} is the behaviour of a server without persistence.
 */
public interface Persistence {
    Persistence NONE = new Persistence() { };

    /** True while a dataset is being loaded: commands without the "loading" flag get -LOADING. */
    default boolean loading() {
        return false;
    }

    /** The error a write command gets instead of running (MISCONF after a failed background save), or null. */
    default String refuseWrites() {
        return null;
    }

    /** Before SHUTDOWN exits: saves when asked or when save points exist; false when that save failed. */
    default boolean prepareShutdown(boolean save, boolean noSave) {
        return true;
    }

    /** DEBUG RELOAD: save, empty the dataset, load the file back. Returns an error message or null. */
    default String debugReload() {
        return "ERR DEBUG RELOAD needs persistence";
    }

    /** INFO persistence: the loading_* block (starts with "loading:"). */
    default void infoLoading(StringBuilder sb) {
        sb.append("loading:0\r\nasync_loading:0\r\n");
    }

    /** INFO persistence: the rdb_* block and the current_save_* fields before it. */
    default void infoRdb(StringBuilder sb, long startTimeMs) {
        sb.append("current_cow_peak:0\r\ncurrent_cow_size:0\r\ncurrent_cow_size_age:0\r\ncurrent_fork_perc:0.00\r\n")
                .append("current_save_keys_processed:0\r\ncurrent_save_keys_total:0\r\n")
                .append("rdb_changes_since_last_save:0\r\nrdb_bgsave_in_progress:0\r\n")
                .append("rdb_last_save_time:").append(startTimeMs / 1000).append("\r\n")
                .append("rdb_last_bgsave_status:ok\r\nrdb_last_bgsave_time_sec:-1\r\nrdb_current_bgsave_time_sec:-1\r\n")
                .append("rdb_saves:0\r\nrdb_last_cow_size:0\r\nrdb_last_load_keys_expired:0\r\nrdb_last_load_keys_loaded:0\r\n");
    }
}
