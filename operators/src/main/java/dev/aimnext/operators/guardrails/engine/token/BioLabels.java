package dev.aimnext.operators.guardrails.engine.token;

import dev.aimnext.operators.guardrails.engine.ModelPackException;

import java.util.LinkedHashSet;
import java.util.List;

/**
 * The BIO reading of a token classifier's labels, in id order: {@code O} is outside any entity,
 * {@code B-X} begins an entity of type {@code X}, {@code I-X} continues one. A label without a
 * prefix is read as {@code I-<label>}, as HuggingFace's token-classification pipeline does, so
 * exports whose labels are bare types still aggregate.
 */
public final class BioLabels {

    /** Where a label puts its token. */
    public enum Tag {
        OUTSIDE,
        BEGIN,
        INSIDE
    }

    private final List<String> labels;
    private final Tag[] tags;
    private final String[] types;
    private final List<String> entityTypes;

    private BioLabels(List<String> labels, Tag[] tags, String[] types) {
        this.labels = List.copyOf(labels);
        this.tags = tags;
        this.types = types;
        LinkedHashSet<String> distinct = new LinkedHashSet<>();
        for (String t : types) {
            if (t != null) {
                distinct.add(t);
            }
        }
        this.entityTypes = List.copyOf(distinct);
    }

    /**
     * @param labels id2label in id order
     * @param where the file the labels came from, named in errors
     */
    public static BioLabels parse(List<String> labels, String where) {
        if (labels.isEmpty()) {
            throw new ModelPackException(where + ": a token classifier needs at least one label");
        }
        Tag[] tags = new Tag[labels.size()];
        String[] types = new String[labels.size()];
        boolean outside = false;
        for (int i = 0; i < labels.size(); i++) {
            String label = labels.get(i);
            if (label.equals("O")) {
                tags[i] = Tag.OUTSIDE;
                outside = true;
            } else if (label.startsWith("B-") || label.startsWith("I-")) {
                if (label.length() == 2) {
                    throw new ModelPackException(where + ": label " + i + " '" + label + "' names no entity type");
                }
                tags[i] = label.charAt(0) == 'B' ? Tag.BEGIN : Tag.INSIDE;
                types[i] = label.substring(2);
            } else {
                tags[i] = Tag.INSIDE;
                types[i] = label;
            }
        }
        if (!outside) {
            throw new ModelPackException(where + ": token labels " + labels + " have no 'O' (outside) label");
        }
        return new BioLabels(labels, tags, types);
    }

    public int size() {
        return labels.size();
    }

    public List<String> labels() {
        return labels;
    }

    public Tag tag(int label) {
        return tags[label];
    }

    /** The entity type of a label; null for {@code O}. */
    public String type(int label) {
        return types[label];
    }

    /** Entity types in first-seen label order, e.g. {@code [PER, ORG, LOC, MISC]}. */
    public List<String> entityTypes() {
        return entityTypes;
    }

    /** Probability of entity type {@code type}: the sum over its B- and I- labels. */
    public double typeProbability(float[] probabilities, String type) {
        double p = 0;
        for (int i = 0; i < types.length; i++) {
            if (type.equals(types[i])) {
                p += probabilities[i];
            }
        }
        return p;
    }

    /** Id of a label, or -1. */
    public int indexOf(String label) {
        return labels.indexOf(label);
    }
}
