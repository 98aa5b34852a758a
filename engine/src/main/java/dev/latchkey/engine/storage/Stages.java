package dev.latchkey.engine.storage;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;

/**
 * The few helpers the asynchronous storage path needs, on the JDK's {@link CompletionStage} alone
 * (the engine knows no event loop and no cluster library).
 */
public final class Stages {
    private static final CompletionStage<Void> DONE = CompletableFuture.completedFuture(null);

    private Stages() {
    }

    /** A stage already complete without a value. */
    public static CompletionStage<Void> done() {
        return DONE;
    }

    /**
     * Runs {@code work} now, on this thread: the stage of a synchronous implementation. What it
     * throws fails the stage rather than the caller, as it would from an asynchronous one.
     */
    public static <T> CompletionStage<T> now(Supplier<T> work) {
        try {
            return CompletableFuture.completedFuture(work.get());
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Whether the stage has completed, normally or not, so that no thread would wait on it. */
    public static boolean isDone(CompletionStage<?> stage) {
        return stage.toCompletableFuture().isDone();
    }

    /**
     * Waits for the stage and returns its value; a failure is rethrown as the exception that
     * failed it (an {@code EngineException} stays one), not wrapped.
     */
    public static <T> T join(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for storage", e);
        } catch (ExecutionException e) {
            throw unchecked(e.getCause());
        }
    }

    /** The failure of a stage that has completed (see {@link #isDone}), or null if it completed normally. */
    public static Throwable failure(CompletionStage<?> done) {
        CompletableFuture<?> f = done.toCompletableFuture();
        if (!f.isCompletedExceptionally()) {
            return null;
        }
        try {
            f.join();
            return null;
        } catch (RuntimeException e) {
            return cause(e);
        }
    }

    /** What failed a stage, without the wrappers {@link CompletableFuture} adds on the way. */
    public static Throwable cause(Throwable t) {
        Throwable c = t;
        while ((c instanceof CompletionException || c instanceof ExecutionException) && c.getCause() != null) {
            c = c.getCause();
        }
        return c;
    }

    /** The failure, rethrowable as it is: an unchecked one unchanged, a checked one wrapped. */
    public static RuntimeException unchecked(Throwable t) {
        Throwable c = cause(t);
        if (c instanceof RuntimeException r) {
            return r;
        }
        if (c instanceof Error e) {
            throw e;
        }
        return new IllegalStateException(c);
    }
}
