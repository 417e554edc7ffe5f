package dev.aimnext.operators.guardrails.train.ner;

import dev.aimnext.operators.guardrails.engine.EngineSettings;
import dev.aimnext.operators.guardrails.engine.InferenceEngine;
import dev.aimnext.operators.guardrails.engine.ModelPack;
import dev.aimnext.operators.guardrails.engine.token.NerTestPacks;
import dev.aimnext.operators.guardrails.engine.token.TokenHead;
import dev.aimnext.operators.guardrails.engine.token.WindowHiddenStates;
import dev.aimnext.operators.guardrails.engine.token.WindowMerger;
import dev.aimnext.operators.guardrails.train.HeadFile;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class NerHeadTrainerTest {

    @TempDir
    static Path root;

    private static InferenceEngine engine;
    private static List<NerExample> examples;

    @BeforeAll
    static void open() throws IOException, URISyntaxException {
        engine = InferenceEngine.open(ModelPack.load(NerTestPacks.nerMiniLm(root.resolve("pack"))), EngineSettings.defaults());
        examples = NerCorpus.read(Path.of(NerHeadTrainerTest.class.getResource("/ner/tiny_train.jsonl").toURI()));
    }

    @AfterAll
    static void close() {
        if (engine != null) {
            engine.close();
        }
    }

    private static NerHeadTrainer trainer() {
        return new NerHeadTrainer(engine::tokenStates, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    }

    private static String train(long seed) {
        NerHeadTrainer.Settings s = NerHeadTrainer.Settings.defaults(seed).withEpochs(3);
        return NerHeadFile.render(trainer().train(examples, s), List.of("tiny_train.jsonl"), seed);
    }

    @Test
    void theSameSeedReproducesTheHeadFileByteForByte() {
        String first = train(42);
        String second = train(42);

        assertThat(second.getBytes(StandardCharsets.UTF_8)).isEqualTo(first.getBytes(StandardCharsets.UTF_8));
        assertThat(train(7)).isNotEqualTo(first);
    }

    @Test
    void theWrittenHeadLoadsAsATokenHeadOfTheRightWidth() throws IOException {
        Path file = root.resolve("out/heads/ner.json");
        HeadFile.write(file, train(42));

        TokenHead head = TokenHead.load(file);

        assertThat(head.linear().labels()).isEqualTo(NerHeadTrainer.labels());
        assertThat(head.linear().dimension()).isEqualTo(head.features().dimension(384));
        assertThat(Files.readString(file)).contains("\"seed\": 42").contains("\"data\": [\"tiny_train.jsonl\"]");
    }

    @Test
    void goldSpansBecomeBioTagsOnTokensWithMappedTypes() {
        // "Kenji Watanabe moved from Osaka to Lisbon in 2019."; Watanabe is wat ##ana ##be.
        List<String> tags = new ArrayList<>();
        NerExample kenji = examples.get(4);
        List<WindowHiddenStates> states = engine.tokenStates(List.of(kenji.text()));
        List<WindowMerger.TokenRef> picks = WindowMerger.pick(states.stream().map(WindowHiddenStates::window).toList(), 1).get(0);
        List<int[]> refs = new ArrayList<>();
        List<Integer> ids = new ArrayList<>();

        NerHeadTrainer.tagTokens(kenji, picks, states.stream().map(WindowHiddenStates::window).toList(),
                NerHeadTrainer.labels(), refs, ids);

        for (int i = 0; i < ids.size(); i++) {
            var o = states.get(0).window().offsets();
            int p = refs.get(i)[1];
            tags.add(kenji.text().substring(o.starts()[p], o.ends()[p]) + "=" + NerHeadTrainer.labels().get(ids.get(i)));
        }
        // Sub-word pieces of a name are I-; GPE is LOCATION; DATE_TIME is not a NER type here.
        assertThat(tags).containsExactly("Kenji=B-PERSON", "Wat=I-PERSON", "ana=I-PERSON", "be=I-PERSON", "moved=O",
                "from=O", "Osaka=B-LOCATION", "to=O", "Lisbon=B-LOCATION", "in=O", "2019=O", ".=O");
    }

    @Test
    void aValidationSplitIsScoredAndTheRestTrained() {
        NerHeadTrainer.Result r = trainer().train(examples,
                NerHeadTrainer.Settings.defaults(42).withEpochs(2).withValidationFraction(0.25));

        assertThat(r.validationExamples()).hasSize(4);
        assertThat(examples).containsAll(r.validationExamples());
        assertThat(r.trainTexts()).isEqualTo(12);
        assertThat(r.validationPredictions()).hasSize(4);
    }
}
