package dev.aimnext.operators.guardrails.engine.token;

import dev.aimnext.operators.guardrails.engine.TokenWindow;

/** A model window together with where its tokens lie in the text. */
public record AlignedWindow(TokenWindow window, TokenOffsets offsets) {

    public AlignedWindow {
        if (window.length() != offsets.length()) {
            throw new IllegalArgumentException("window of " + window.length() + " tokens but "
                    + offsets.length() + " offsets");
        }
    }

    public int textIndex() {
        return window.textIndex();
    }

    public int length() {
        return window.length();
    }
}
