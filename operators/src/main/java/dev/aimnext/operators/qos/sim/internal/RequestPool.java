package dev.aimnext.operators.qos.sim.internal;

import java.util.ArrayDeque;

/** Recycles {@link SimRequest}s. */
public final class RequestPool {

    private final ArrayDeque<SimRequest> free = new ArrayDeque<>();

    SimRequest take() {
        SimRequest r = free.pollFirst();
        return r != null ? r : new SimRequest();
    }

    void release(SimRequest r) {
        free.addFirst(r);
    }
}
