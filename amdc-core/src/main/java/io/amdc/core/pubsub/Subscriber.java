package io.amdc.core.pubsub;

import io.amdc.core.pubsub.PubSub.Kind;
import io.amdc.core.session.Client;
import io.amdc.core.util.ByteKey;
import io.amdc.core.util.Log;
import io.netty.buffer.ByteBuf;
import io.amdc.resp.IoBuffers;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One client's subscriptions and its queue of messages not yet handed to its connection.
 *
 * <p>Publishers run on any event loop: they append the encoded message to {@link #pending} and,
 * when it was empty, ask the client's own loop to flush it ({@link Client#deliver}) once the
 * publisher's read batch ends ({@link PubSub#wakeDeferred}). A PUBLISH storm therefore turns into
 * one task and one socket write per subscriber per publisher batch, not one per message.
 * Before each command of a subscribed client the dispatcher drains the queue into its reply
 * stream, so a message published before a command is never sent after that command's reply.
 * The subscription sets are guarded by this object's monitor, which publishers also take, so
 * once UNSUBSCRIBE removed a channel no message of it is queued any more.
 *
 * <p>{@code client-output-buffer-limit pubsub <hard> <soft> <seconds>}: when the bytes queued here
 * plus those the connection has not written yet exceed the hard limit, or stay above the soft
 * limit for longer than the given seconds, the client is disconnected, as Redis does.
 */
public final class Subscriber {
    private final Client client;
    private final PubSub pubsub;
    private final Set<ByteKey> channels = new LinkedHashSet<>();
    private final Set<ByteKey> patterns = new LinkedHashSet<>();
    private final Set<ByteKey> shards = new LinkedHashSet<>();
    private volatile int channelCount;
    private volatile int patternCount;
    private volatile int shardCount;

    private ByteBuf pending;
    private boolean scheduled;
    private boolean closed;
    private long softSinceMs;

    public Subscriber(Client client, PubSub pubsub) {
        this.client = client;
        this.pubsub = pubsub;
    }

    /** Every subscription: non-zero puts a RESP2 client in subscribed mode. */
    public int count() {
        return channelCount + patternCount + shardCount;
    }

    /** Channels plus patterns: the count (P)SUBSCRIBE and (P)UNSUBSCRIBE replies report. */
    public int plainCount() {
        return channelCount + patternCount;
    }

    public int channelCount() {
        return channelCount;
    }

    public int patternCount() {
        return patternCount;
    }

    public int shardCount() {
        return shardCount;
    }

    private Set<ByteKey> set(Kind kind) {
        return switch (kind) {
            case CHANNEL -> channels;
            case PATTERN -> patterns;
            case SHARD -> shards;
        };
    }

    private void recount() {
        channelCount = channels.size();
        patternCount = patterns.size();
        shardCount = shards.size();
    }

    /** Subscribes on the client's own thread; false when it already was. */
    public boolean subscribe(Kind kind, byte[] name) {
        ByteKey key = new ByteKey(name);
        synchronized (this) {
            if (!set(kind).add(key)) return false;
            recount();
        }
        pubsub.add(kind, key, this);
        client.subscriptionsChanged();
        return true;
    }

    /**
     * Unsubscribes on the client's own thread; false when it was not subscribed. Messages of the
     * channel queued until now go into the reply stream first, so none follows the confirmation.
     */
    public boolean unsubscribe(Kind kind, byte[] name) {
        return unsubscribe(kind, name, true);
    }

    private boolean unsubscribe(Kind kind, byte[] name, boolean drain) {
        ByteKey key = new ByteKey(name);
        synchronized (this) {
            if (!set(kind).remove(key)) return false;
            recount();
            if (drain) drainLocked(client.out().buffer());
        }
        pubsub.remove(kind, key, this);
        client.subscriptionsChanged();
        return true;
    }

    /** The names subscribed to, in subscription order. */
    public synchronized List<byte[]> names(Kind kind) {
        List<byte[]> out = new ArrayList<>();
        for (ByteKey k : set(kind)) out.add(k.bytes);
        return out;
    }

    /** RESET (drain true) and disconnect: drops every subscription without replies. */
    void unsubscribeAll(boolean drain) {
        for (Kind kind : Kind.values()) {
            for (byte[] name : names(kind)) unsubscribe(kind, name, drain);
        }
    }

    /** Disconnect: nothing more will be delivered. */
    public void close() {
        unsubscribeAll(false);
        synchronized (this) {
            closed = true;
            releasePending();
        }
    }

    /**
     * Queues {@code frame} (a RESP2 message array) for this client if it is still subscribed to
     * {@code key}; returns whether it was. Called by publishers on any thread.
     */
    boolean offer(Kind kind, ByteKey key, byte[] frame, Client publisher) {
        boolean schedule = false;
        boolean overLimit = false;
        synchronized (this) {
            if (closed || !set(kind).contains(key)) return false;
            boolean push = client.protocol() >= 3;
            if (publisher == client) {
                // Published by this very client on its own thread: Redis puts the message ahead
                // of the PUBLISH reply, after whatever was already queued.
                ByteBuf out = client.out().buffer();
                drainLocked(out);
                write(out, frame, push);
                return true;
            }
            if (pending == null) pending = IoBuffers.ALLOCATOR.buffer(Math.max(256, frame.length));
            write(pending, frame, push);
            if (overLimit()) {
                overLimit = true;
                closed = true;
                releasePending();
            } else if (!scheduled) {
                scheduled = true;
                schedule = true;
            }
        }
        if (overLimit) {
            pubsub.engine().stats().clientOutputBufferLimitDisconnections.increment();
            Log.warning("Client id=" + client.id + " addr=" + client.addr()
                    + " scheduled to be closed ASAP for overcoming of output buffer limits.");
            client.kill();
        } else if (schedule) {
            pubsub.wakeLater(this);
        }
        return true;
    }

    private static void write(ByteBuf out, byte[] frame, boolean push) {
        out.writeByte(push ? '>' : '*');
        out.writeBytes(frame, 1, frame.length - 1);
    }

    /** Applies the pubsub class of client-output-buffer-limit to what is queued now. */
    private boolean overLimit() {
        long[] limit = pubsub.outputLimit();
        long hard = limit[0];
        long soft = limit[1];
        if (hard <= 0 && soft <= 0) return false;
        long size = pending.readableBytes() + client.outputBufferBytes();
        if (hard > 0 && size >= hard) return true;
        if (soft > 0 && size >= soft) {
            long now = System.currentTimeMillis();
            if (softSinceMs == 0) {
                softSinceMs = now;
                return false;
            }
            return (now - softSinceMs) / 1000 > limit[2];
        }
        softSinceMs = 0;
        return false;
    }

    /** On the client's own thread: moves queued messages into {@code out}. */
    public synchronized void drainTo(ByteBuf out) {
        drainLocked(out);
    }

    /** The flush task scheduled by {@link #offer}: hands over the queued messages, or null. */
    public synchronized ByteBuf takePending() {
        scheduled = false;
        ByteBuf b = pending;
        pending = null;
        return b;
    }

    void wake() {
        client.deliver(this);
    }

    public synchronized boolean hasPending() {
        return pending != null && pending.isReadable();
    }

    private void drainLocked(ByteBuf out) {
        if (pending == null) return;
        out.writeBytes(pending);
        releasePending();
    }

    private void releasePending() {
        if (pending != null) {
            pending.release();
            pending = null;
        }
    }
}
