package io.amdc.core.memory;

import io.amdc.core.Engine;
import io.amdc.core.session.Client;
import io.amdc.core.util.Log;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Client memory for used_memory / mem_clients_normal, summed once per cron tick, and Redis 7's
 * maxmemory-clients: when all clients together use more than that, the heaviest ones (not
 * CLIENT NO-EVICT) are disconnected until the total fits.
 */
public final class ClientEviction {
    /** A connection's fixed cost: the client object, its reply encoder (with its staging array) and parser state. */
    public static final long PER_CLIENT = 1024 + io.amdc.resp.RespOut.STAGE;

    private final Engine engine;

    public ClientEviction(Engine engine) {
        this.engine = engine;
    }

    public static long memoryOf(Client c) {
        return PER_CLIENT + c.queryBufferBytes() + c.outputBufferBytes();
    }

    /** Sums client memory, evicting clients over maxmemory-clients; returns what remains. */
    public long cron() {
        long total = 0;
        List<Client> all = new ArrayList<>(engine.clients().values());
        long[] mem = new long[all.size()];
        for (int i = 0; i < mem.length; i++) {
            mem[i] = memoryOf(all.get(i));
            total += mem[i];
        }
        long limit = engine.config().getLong("maxmemory-clients");
        if (limit <= 0 || total <= limit) return total;
        Integer[] order = new Integer[mem.length];
        for (int i = 0; i < order.length; i++) order[i] = i;
        java.util.Arrays.sort(order, Comparator.comparingLong((Integer i) -> mem[i]).reversed());
        for (int i : order) {
            if (total <= limit) break;
            Client c = all.get(i);
            if (c.noEvict()) continue;
            Log.verbose("Evicting client: " + c.addr());
            engine.stats().evictedClients.increment();
            total -= mem[i];
            c.kill();
        }
        return total;
    }
}
