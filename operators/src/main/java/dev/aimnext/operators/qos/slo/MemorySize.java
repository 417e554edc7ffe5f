package dev.aimnext.operators.qos.slo;

import java.math.BigDecimal;

/**
 * Memory amounts as SLO files write them: {@code 24GiB}, {@code 512 MiB}, {@code 1.5TiB}, {@code
 * 80GB} or a plain byte count. Binary units (KiB, MiB, GiB, TiB) are powers of 1024, as the driver
 * and amd-smi report VRAM; decimal units (KB, MB, GB, TB) are powers of 1000.
 */
public final class MemorySize {

    private MemorySize() {}

    /** @throws IllegalArgumentException saying which forms are accepted */
    public static long parseBytes(String text) {
        String s = text.strip();
        int split = 0;
        while (split < s.length() && (Character.isDigit(s.charAt(split)) || s.charAt(split) == '.')) {
            split++;
        }
        String number = s.substring(0, split);
        String unit = s.substring(split).strip();
        long multiplier = switch (unit) {
            case "", "B" -> 1L;
            case "KiB" -> 1L << 10;
            case "MiB" -> 1L << 20;
            case "GiB" -> 1L << 30;
            case "TiB" -> 1L << 40;
            case "KB" -> 1_000L;
            case "MB" -> 1_000_000L;
            case "GB" -> 1_000_000_000L;
            case "TB" -> 1_000_000_000_000L;
            default -> throw new IllegalArgumentException(
                    "unknown memory unit '" + unit + "' in '" + s + "', expected B, KiB, MiB, GiB, TiB, KB, MB, GB or TB");
        };
        if (number.isEmpty() || number.chars().filter(c -> c == '.').count() > 1) {
            throw new IllegalArgumentException("'" + s + "' is not a memory size such as 24GiB");
        }
        BigDecimal bytes = new BigDecimal(number).multiply(BigDecimal.valueOf(multiplier));
        try {
            // Fractions of a byte are rounded down; 1.5GiB is exact anyway.
            return bytes.setScale(0, java.math.RoundingMode.DOWN).longValueExact();
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("'" + s + "' is too large");
        }
    }
}
