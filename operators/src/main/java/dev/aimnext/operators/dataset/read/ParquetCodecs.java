package dev.aimnext.operators.dataset.read;

import com.github.luben.zstd.Zstd;
import io.airlift.compress.lz4.Lz4Compressor;
import io.airlift.compress.lz4.Lz4Decompressor;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.compression.CompressionCodecFactory;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.xerial.snappy.Snappy;

/**
 * Compresses and decompresses Parquet pages without Hadoop. parquet-hadoop's own {@code CodecFactory}
 * instantiates Hadoop codec classes and a Hadoop {@code Configuration} even for snappy, and the
 * dataset job ships no Hadoop runtime, so pages go through the libraries parquet-hadoop depends on
 * anyway: snappy-java, zstd-jni, aircompressor (LZ4_RAW) and {@code java.util.zip} (GZIP).
 *
 * <p>{@link #SUPPORTED} covers what pyarrow, pandas, polars, DuckDB and Spark write by default.
 * BROTLI, LZO and the deprecated Hadoop-framed LZ4 are refused: readers check a file's codecs up
 * front with {@link #unsupportedIn}, so the user gets one clear message instead of a failure deep
 * in page decoding.
 */
public final class ParquetCodecs implements CompressionCodecFactory {

    /** The codecs this factory reads and writes. */
    public static final Set<CompressionCodecName> SUPPORTED = EnumSet.of(CompressionCodecName.UNCOMPRESSED,
            CompressionCodecName.SNAPPY, CompressionCodecName.GZIP, CompressionCodecName.ZSTD,
            CompressionCodecName.LZ4_RAW);

    /** Stateless, so one instance serves every reader and writer. */
    public static final ParquetCodecs INSTANCE = new ParquetCodecs();

    /** zstd's own default: the ratio/speed point pyarrow and DuckDB also use. */
    private static final int ZSTD_LEVEL = 3;

    private ParquetCodecs() {
    }

    /** The first codec of {@code codecs} that is not {@link #SUPPORTED}, or {@code null}. */
    public static CompressionCodecName unsupportedIn(Iterable<CompressionCodecName> codecs) {
        for (CompressionCodecName codec : codecs) {
            if (!SUPPORTED.contains(codec)) {
                return codec;
            }
        }
        return null;
    }

    @Override
    public BytesInputCompressor getCompressor(CompressionCodecName codec) {
        requireSupported(codec);
        return new BytesInputCompressor() {
            @Override
            public BytesInput compress(BytesInput bytes) throws IOException {
                return codec == CompressionCodecName.UNCOMPRESSED ? bytes : BytesInput.from(compressBytes(codec, bytes.toByteArray()));
            }

            @Override
            public CompressionCodecName getCodecName() {
                return codec;
            }

            @Override
            public void release() {
            }
        };
    }

    @Override
    public BytesInputDecompressor getDecompressor(CompressionCodecName codec) {
        requireSupported(codec);
        return new BytesInputDecompressor() {
            @Override
            public BytesInput decompress(BytesInput bytes, int uncompressedSize) throws IOException {
                return codec == CompressionCodecName.UNCOMPRESSED
                        ? bytes
                        : BytesInput.from(decompressBytes(codec, bytes.toByteArray(), uncompressedSize));
            }

            @Override
            public void decompress(ByteBuffer input, int compressedSize, ByteBuffer output, int uncompressedSize)
                    throws IOException {
                byte[] in = new byte[compressedSize];
                input.duplicate().get(in);
                output.put(codec == CompressionCodecName.UNCOMPRESSED ? in : decompressBytes(codec, in, uncompressedSize));
            }

            @Override
            public void release() {
            }
        };
    }

    @Override
    public void release() {
    }

    private static void requireSupported(CompressionCodecName codec) {
        if (!SUPPORTED.contains(codec)) {
            throw new UnsupportedOperationException("Parquet compression " + codec + " is not supported (supported: "
                    + SUPPORTED + "); rewrite the file with snappy or zstd");
        }
    }

    private static byte[] compressBytes(CompressionCodecName codec, byte[] in) throws IOException {
        return switch (codec) {
            case SNAPPY -> Snappy.compress(in);
            case ZSTD -> Zstd.compress(in, ZSTD_LEVEL);
            case GZIP -> {
                ByteArrayOutputStream out = new ByteArrayOutputStream(in.length / 2 + 64);
                try (OutputStream gzip = new GZIPOutputStream(out)) {
                    gzip.write(in);
                }
                yield out.toByteArray();
            }
            case LZ4_RAW -> {
                Lz4Compressor lz4 = new Lz4Compressor();
                byte[] out = new byte[lz4.maxCompressedLength(in.length)];
                yield Arrays.copyOf(out, lz4.compress(in, 0, in.length, out, 0, out.length));
            }
            default -> throw new IllegalStateException("not a supported codec: " + codec);
        };
    }

    private static byte[] decompressBytes(CompressionCodecName codec, byte[] in, int uncompressedSize) throws IOException {
        byte[] out = new byte[uncompressedSize];
        int n = switch (codec) {
            case SNAPPY -> Snappy.uncompress(in, 0, in.length, out, 0);
            // Decompresses every frame of the page: some writers split a page into several.
            case ZSTD -> (int) checkedZstd(Zstd.decompressByteArray(out, 0, out.length, in, 0, in.length));
            case GZIP -> {
                try (InputStream gzip = new GZIPInputStream(new ByteArrayInputStream(in))) {
                    yield gzip.readNBytes(out, 0, out.length);
                }
            }
            case LZ4_RAW -> new Lz4Decompressor().decompress(in, 0, in.length, out, 0, out.length);
            default -> throw new IllegalStateException("not a supported codec: " + codec);
        };
        if (n != uncompressedSize) {
            // A short page would otherwise surface later as a confusing decoding error.
            throw new IOException(codec + " page decompressed to " + n + " bytes, the page header says "
                    + uncompressedSize);
        }
        return out;
    }

    private static long checkedZstd(long result) throws IOException {
        if (Zstd.isError(result)) {
            throw new IOException("ZSTD page cannot be decompressed: " + Zstd.getErrorName(result));
        }
        return result;
    }
}
