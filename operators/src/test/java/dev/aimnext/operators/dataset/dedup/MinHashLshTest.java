package dev.aimnext.operators.dataset.dedup;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class MinHashLshTest {

    private static final int NUM_HASHES = 128;
    private static final int TEXTS = 300;

    private final Shingler shingler = Shingler.words(3);
    private final MinHasher hasher = new MinHasher(NUM_HASHES, 42L);
    /** Small edits of a 60-word text keep Jaccard near 0.83, well above 0.5 where recall is ~1. */
    private final LshBanding banding = LshBanding.forThreshold(0.5, NUM_HASHES);

    private List<BandKey> keys(String text) {
        return banding.bandKeys(hasher.signature(shingler.shingles(text)));
    }

    /** A random 60-word text over a 5,000-word synthetic vocabulary. */
    private static List<String> randomText(SplittableRandom random) {
        List<String> words = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            words.add("w" + random.nextInt(5000));
        }
        return words;
    }

    /** A small edit: one word replaced, one dropped, plus case and spacing changes. */
    private static String nearDuplicate(List<String> words, SplittableRandom random) {
        List<String> edited = new ArrayList<>(words);
        edited.set(10 + random.nextInt(40), "edited");
        edited.remove(10 + random.nextInt(40));
        return String.join("  ", edited).toUpperCase() + "\n";
    }

    @Test
    void bandingForThresholdPutsTheCurveAroundIt() {
        assertThat(banding.toString()).isEqualTo("25 bands x 5 rows");
        assertThat(LshBanding.forThreshold(0.7, NUM_HASHES).toString()).isEqualTo("14 bands x 9 rows");
        assertThat(LshBanding.forThreshold(0.8, NUM_HASHES).toString()).isEqualTo("9 bands x 14 rows");
        LshBanding strict = LshBanding.forThreshold(0.7, NUM_HASHES);
        assertThat(strict.candidateProbability(0.9)).isGreaterThan(0.99);
        assertThat(strict.candidateProbability(0.3)).isLessThan(0.001);
        assertThat(strict.candidateProbability(0.7)).isBetween(0.4, 0.6);
    }

    @Test
    void plantedNearDuplicatesShareABandAndDistinctTextsDoNot() {
        SplittableRandom random = new SplittableRandom(7);
        List<List<BandKey>> originals = new ArrayList<>();
        int plantedFound = 0;
        for (int i = 0; i < TEXTS; i++) {
            List<String> words = randomText(random);
            List<BandKey> original = keys(String.join(" ", words));
            List<BandKey> copy = keys(nearDuplicate(words, random));
            Set<BandKey> shared = new HashSet<>(original);
            shared.retainAll(copy);
            if (!shared.isEmpty()) {
                plantedFound++;
            }
            originals.add(original);
        }
        Map<BandKey, Integer> owner = new HashMap<>();
        int falseCandidates = 0;
        for (int i = 0; i < originals.size(); i++) {
            for (BandKey key : originals.get(i)) {
                Integer previous = owner.putIfAbsent(key, i);
                if (previous != null && previous != i) {
                    falseCandidates++;
                }
            }
        }

        assertThat(plantedFound).isEqualTo(TEXTS);
        assertThat(falseCandidates).isZero();
    }

    @Test
    void signatureEstimatesJaccardAndIsStableAcrossInstances() {
        String a = "the quick brown fox jumps over the lazy dog near the river bank today";
        String b = "the quick brown fox jumps over the lazy cat near the river bank today";
        int[] sa = hasher.signature(shingler.shingles(a));
        int[] sb = new MinHasher(NUM_HASHES, 42L).signature(shingler.shingles(b));

        // 13 word 3-shingles each, 10 shared: true Jaccard 10/16 = 0.625.
        assertThat(MinHasher.estimateJaccard(sa, sb)).isBetween(0.5, 0.75);
        assertThat(new MinHasher(NUM_HASHES, 42L).signature(shingler.shingles(a))).isEqualTo(sa);
        assertThat(new MinHasher(NUM_HASHES, 43L).signature(shingler.shingles(a))).isNotEqualTo(sa);
        assertThat(keys(a)).hasSize(banding.bands()).extracting(BandKey::band).startsWith(0, 1, 2);
    }

    @Test
    void shinglesIgnoreCaseAndSpacingAndHandleShortTexts() {
        assertThat(shingler.shingles("A b  C d")).isEqualTo(shingler.shingles("a B c\nd")).hasSize(2);
        assertThat(shingler.shingles("two words")).hasSize(1);
        assertThat(shingler.shingles("  ")).isEmpty();
        assertThat(Shingler.characters(3).shingles("abcd")).hasSize(2);
        assertThat(Shingler.characters(3).shingles("abab a")).hasSize(4);
    }
}
