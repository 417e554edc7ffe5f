package dev.aimnext.schemas.json;

import dev.aimnext.schemas.codec.EventDecodingException;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Decodes UTF-8 and rejects malformed input instead of replacing it with U+FFFD, so a record with
 * broken bytes is dead-lettered with an offset rather than forwarded altered.
 */
public final class StrictUtf8 {

    private StrictUtf8() {}

    public static String decode(byte[] bytes) throws EventDecodingException {
        CharsetDecoder decoder =
                StandardCharsets.UTF_8
                        .newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        try {
            CharBuffer chars = decoder.decode(in);
            return chars.toString();
        } catch (CharacterCodingException e) {
            throw new EventDecodingException(
                    "INVALID_UTF8", "invalid UTF-8 near byte offset " + in.position());
        }
    }
}
