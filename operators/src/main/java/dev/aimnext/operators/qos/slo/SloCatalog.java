package dev.aimnext.operators.qos.slo;

import java.io.Serializable;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The objectives of every served model, by model name, as {@link SloYamlLoader} reads them. A model
 * that is not listed has no latency objectives: its requests count as within SLO when they succeed.
 */
public final class SloCatalog implements Serializable {

    private static final long serialVersionUID = 1L;

    private final Map<String, ModelSlo> byModel;

    public SloCatalog(Collection<ModelSlo> slos) {
        Map<String, ModelSlo> map = new LinkedHashMap<>();
        for (ModelSlo slo : slos) {
            if (map.put(slo.model(), slo) != null) {
                throw new IllegalArgumentException("model " + slo.model() + " has two SLO entries");
            }
        }
        this.byModel = map;
    }

    /** No objectives for any model. */
    public static SloCatalog empty() {
        return new SloCatalog(java.util.List.of());
    }

    /** The objectives of {@code model}, or null when it has none; null keeps the per-event path allocation-free. */
    public ModelSlo lookup(String model) {
        return byModel.get(model);
    }

    public Optional<ModelSlo> forModel(String model) {
        return Optional.ofNullable(byModel.get(model));
    }

    public Collection<ModelSlo> models() {
        return byModel.values();
    }

    @Override
    public String toString() {
        return "SloCatalog" + byModel.keySet();
    }
}
