package dev.aimnext.operators.guardrails.engine;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * One {@link InferenceEngine} per pack and settings per JVM (a TaskManager), shared by all its
 * slots and reference-counted: the first {@link #acquire} opens it, the last {@link Lease#close}
 * closes it. A model is loaded once per TaskManager instead of once per slot, and ORT's own
 * thread pool is not multiplied by the slot count.
 */
public final class EngineRegistry {

    private static final EngineRegistry SHARED = new EngineRegistry(
            (dir, settings) -> InferenceEngine.open(ModelPack.load(dir), settings));

    private record Key(Path dir, EngineSettings settings) {}

    private static final class Entry {
        final InferenceEngine engine;
        int references;

        Entry(InferenceEngine engine) {
            this.engine = engine;
        }
    }

    private final BiFunction<Path, EngineSettings, InferenceEngine> opener;
    private final Map<Key, Entry> entries = new HashMap<>();

    /** A registry that opens engines with {@code opener}; tests pass their own, jobs use {@link #shared}. */
    public EngineRegistry(BiFunction<Path, EngineSettings, InferenceEngine> opener) {
        this.opener = opener;
    }

    /** The JVM-wide registry. */
    public static EngineRegistry shared() {
        return SHARED;
    }

    /**
     * The engine for the pack at {@code dir}, opened on first use. Opening happens under the
     * registry's lock so two slots starting together load the model once; a failure propagates and
     * leaves nothing registered.
     */
    public synchronized Lease acquire(Path dir, EngineSettings settings) {
        Key key = new Key(dir.toAbsolutePath().normalize(), settings);
        Entry entry = entries.get(key);
        if (entry == null) {
            entry = new Entry(opener.apply(key.dir(), settings));
            entries.put(key, entry);
        }
        entry.references++;
        return new Lease(key, entry.engine);
    }

    /** How many leases are open on the engine for {@code dir} and {@code settings}. */
    public synchronized int references(Path dir, EngineSettings settings) {
        Entry e = entries.get(new Key(dir.toAbsolutePath().normalize(), settings));
        return e == null ? 0 : e.references;
    }

    private synchronized void release(Key key) {
        Entry entry = entries.get(key);
        if (entry != null && --entry.references == 0) {
            entries.remove(key);
            entry.engine.close();
        }
    }

    /** A use of a shared engine; close it exactly once, in the operator's {@code close()}. */
    public final class Lease implements AutoCloseable {
        private final Key key;
        private final InferenceEngine engine;
        private boolean closed;

        private Lease(Key key, InferenceEngine engine) {
            this.key = key;
            this.engine = engine;
        }

        /** The shared engine. */
        public InferenceEngine engine() {
            return engine;
        }

        @Override
        public void close() {
            synchronized (EngineRegistry.this) {
                if (closed) {
                    return;
                }
                closed = true;
            }
            release(key);
        }
    }
}
