package dev.aimnext.operators.guardrails.engine;

/**
 * A model pack that cannot be used: a missing, corrupt or inconsistent file, or an execution
 * provider the ONNX Runtime build lacks. Thrown at load time, so a job fails at start rather than
 * on its first record; the message names the offending file or setting.
 */
public class ModelPackException extends RuntimeException {

    public ModelPackException(String message) {
        super(message);
    }

    public ModelPackException(String message, Throwable cause) {
        super(message, cause);
    }
}
