package io.amdc.core.tracking;

import java.util.ArrayList;
import java.util.List;

/** One client's CLIENT TRACKING settings; present only while tracking is on. */
public final class TrackingState {
    public final boolean bcast;
    public final boolean optin;
    public final boolean optout;
    public final boolean noloop;
    /** Client id receiving the invalidations, 0 for the client itself. */
    public final long redirect;
    /** BCAST prefixes ("" = every key). */
    final List<byte[]> prefixes = new ArrayList<>();
    /** CLIENT CACHING YES/NO given for the next command: 0 none, 1 yes, -1 no. Own thread only. */
    int caching;
    /** The redirect client went away; the notice was sent once. */
    volatile boolean brokenRedirect;

    TrackingState(boolean bcast, boolean optin, boolean optout, boolean noloop, long redirect) {
        this.bcast = bcast;
        this.optin = optin;
        this.optout = optout;
        this.noloop = noloop;
        this.redirect = redirect;
    }

    public List<byte[]> prefixes() {
        return prefixes;
    }

    public int caching() {
        return caching;
    }

    public boolean brokenRedirect() {
        return brokenRedirect;
    }

    /** Whether the command being run should have its keys remembered (OPTIN/OPTOUT rules). */
    boolean remembers() {
        if (optin) return caching > 0;
        if (optout) return caching >= 0;
        return true;
    }
}
