package dev.aimnext.operators.guardrails.engine.image;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.aimnext.operators.guardrails.engine.EngineSettings;
import dev.aimnext.operators.guardrails.engine.MicroBatcher;
import dev.aimnext.operators.guardrails.engine.ModelPack;
import dev.aimnext.operators.guardrails.engine.ModelPackException;
import dev.aimnext.operators.guardrails.engine.OrtSessionOptionsFactory;
import dev.aimnext.operators.guardrails.engine.PackTask;

import java.awt.image.BufferedImage;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;

/**
 * Runs an {@link PackTask#IMAGE_CLASSIFICATION} pack in ONNX Runtime: images are preprocessed by
 * the pack's {@link ImagePreprocessor}, stacked into {@code pixel_values [batch, 3, H, W]} in
 * batches of at most {@link EngineSettings#maxBatchSize}, and the {@code logits} become scores
 * under {@code id2label}. An {@code optimum-cli export onnx --task image-classification} folder
 * (ViT, ConvNext, DeiT, BEiT) is such a pack as it is.
 *
 * <p>Images come in decoded; {@link ImageSource} turns request references into images and
 * rejects what must not be read. Thread-safe: ORT's {@code Run} may be called concurrently.
 */
public final class ImageClassifier implements AutoCloseable {

    /** The input name HF image exports use. */
    public static final String PIXEL_VALUES = "pixel_values";

    private final ModelPack pack;
    private final EngineSettings settings;
    private final ImagePreprocessor preprocessor;
    private final OrtEnvironment env;
    private final OrtSession session;
    private final String inputName;
    private final String outputName;

    private ImageClassifier(ModelPack pack, EngineSettings settings, ImagePreprocessor preprocessor,
                            OrtEnvironment env, OrtSession session, String inputName, String outputName) {
        this.pack = pack;
        this.settings = settings;
        this.preprocessor = preprocessor;
        this.env = env;
        this.session = session;
        this.inputName = inputName;
        this.outputName = outputName;
    }

    /**
     * Opens the pack's session on the configured provider. Fails with a {@link ModelPackException}
     * naming the file when the pack is not an image classifier, its preprocessor config is
     * unusable, the provider is missing from this ORT build, or the graph's input does not take
     * the preprocessor's image size.
     */
    public static ImageClassifier open(ModelPack pack, EngineSettings settings) {
        if (pack.task() != PackTask.IMAGE_CLASSIFICATION) {
            throw new ModelPackException(pack.dir() + ": task is " + pack.task().name().toLowerCase(Locale.ROOT)
                    + ", an image classifier needs image_classification");
        }
        ImagePreprocessor preprocessor = ImagePreprocessor.load(pack.dir().resolve(ImagePreprocessor.FILE));
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        OrtSession session = OrtSessionOptionsFactory.openSession(env, pack, settings);
        try {
            String input = single(session.getInputNames(), PIXEL_VALUES, pack, "input");
            String output = single(session.getOutputNames(), "logits", pack, "output");
            checkInputShape(session.getInputInfo().get(input), preprocessor, pack);
            return new ImageClassifier(pack, settings, preprocessor, env, session, input, output);
        } catch (OrtException e) {
            closeQuietly(session);
            throw new ModelPackException(pack.modelFile() + ": cannot read graph inputs: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(session);
            throw e;
        }
    }

    private static String single(Set<String> names, String wanted, ModelPack pack, String what) {
        if (names.contains(wanted)) {
            return wanted;
        }
        if (names.size() == 1) {
            return names.iterator().next();
        }
        throw new ModelPackException(pack.modelFile() + ": no " + what + " named " + wanted + " among " + names);
    }

    /** A graph exported with fixed H and W (ViT's position embeddings fix them) must match the preprocessor. */
    private static void checkInputShape(NodeInfo info, ImagePreprocessor pre, ModelPack pack) {
        if (!(info.getInfo() instanceof TensorInfo tensor)) {
            throw new ModelPackException(pack.modelFile() + ": input " + info.getName() + " is not a tensor");
        }
        long[] shape = tensor.getShape();
        if (shape.length != 4) {
            throw new ModelPackException(pack.modelFile() + ": input " + info.getName()
                    + " must be [batch, 3, height, width], has rank " + shape.length);
        }
        if (shape[1] > 0 && shape[1] != 3) {
            throw new ModelPackException(pack.modelFile() + ": input " + info.getName() + " takes " + shape[1]
                    + " channels; only RGB (3) images are supported");
        }
        if ((shape[2] > 0 && shape[2] != pre.height()) || (shape[3] > 0 && shape[3] != pre.width())) {
            throw new ModelPackException(pack.modelFile() + ": the graph takes " + shape[2] + "x" + shape[3]
                    + " images but " + ImagePreprocessor.FILE + " makes " + pre.height() + "x" + pre.width());
        }
    }

    /** The pack this classifier serves. */
    public ModelPack pack() {
        return pack;
    }

    /** The preprocessor read from the pack. */
    public ImagePreprocessor preprocessor() {
        return preprocessor;
    }

    /** Runs one grey image so session initialisation happens in {@code open()}, not on the first record. */
    public void warmUp() {
        BufferedImage grey = new BufferedImage(preprocessor.width(), preprocessor.height(), BufferedImage.TYPE_INT_RGB);
        classify(List.of(grey));
    }

    /** A micro-batcher in front of {@link #classify}; every image has the same tensor size, so one bucket. */
    public MicroBatcher<BufferedImage, ImageScores> newBatcher(Executor executor) {
        return new MicroBatcher<>(settings.maxBatchSize(), settings.linger(), image -> 0, this::classify,
                executor, System::nanoTime);
    }

    /** Scores every image; the result is in image order. */
    public List<ImageScores> classify(List<BufferedImage> images) {
        List<ImageScores> out = new ArrayList<>(images.size());
        for (int start = 0; start < images.size(); start += settings.maxBatchSize()) {
            List<BufferedImage> chunk = images.subList(start, Math.min(images.size(), start + settings.maxBatchSize()));
            float[][] logits;
            try {
                logits = run(chunk);
            } catch (OrtException e) {
                throw new IllegalStateException("inference failed on pack " + pack.version() + ": " + e.getMessage(), e);
            }
            for (float[] row : logits) {
                out.add(scores(row));
            }
        }
        return out;
    }

    private float[][] run(List<BufferedImage> chunk) throws OrtException {
        int per = preprocessor.floatsPerImage();
        float[] pixels = new float[chunk.size() * per];
        for (int i = 0; i < chunk.size(); i++) {
            preprocessor.pixels(chunk.get(i), pixels, i * per);
        }
        long[] shape = {chunk.size(), 3, preprocessor.height(), preprocessor.width()};
        try (OnnxTensor input = OnnxTensor.createTensor(env, FloatBuffer.wrap(pixels), shape);
             OrtSession.Result result = session.run(Map.of(inputName, input), Set.of(outputName))) {
            Object value = result.get(0).getValue();
            if (!(value instanceof float[][] logits)) {
                throw new IllegalStateException(pack.modelFile() + ": output " + outputName
                        + " is not a float [batch, labels] tensor");
            }
            return logits;
        }
    }

    private ImageScores scores(float[] logits) {
        List<String> labels = pack.labels();
        if (logits.length != labels.size()) {
            throw new IllegalStateException(pack.modelFile() + " gives " + logits.length + " logits, config.json's id2label has "
                    + labels.size() + " labels");
        }
        float[] s = pack.activation().apply(logits);
        Map<String, Float> m = new LinkedHashMap<>();
        for (int i = 0; i < labels.size(); i++) {
            m.put(labels.get(i), s[i]);
        }
        return new ImageScores(m);
    }

    @Override
    public void close() {
        closeQuietly(session);
    }

    private static void closeQuietly(OrtSession session) {
        try {
            session.close();
        } catch (OrtException e) {
            // Closing only frees native memory; nothing a caller could do about a failure here.
        }
    }
}
