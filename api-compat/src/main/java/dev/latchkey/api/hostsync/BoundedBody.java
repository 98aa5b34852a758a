package dev.latchkey.api.hostsync;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * A response body kept in memory up to a limit: past it (or when {@code Content-Length} already
 * says so) the download is abandoned, so that a broken or hostile server cannot fill the host's
 * memory through a command that runs unattended on every host.
 */
final class BoundedBody implements HttpResponse.BodySubscriber<byte[]> {
    /** A body over the limit. */
    static final class TooLargeException extends IOException {
        TooLargeException(long limit) {
            super("the answer is larger than " + (limit >> 20) + " MiB");
        }
    }

    private final long limit;
    private final long declaredLength;
    private final ByteArrayOutputStream received = new ByteArrayOutputStream();
    private final CompletableFuture<byte[]> body = new CompletableFuture<>();
    private Flow.Subscription subscription;

    /** @param declaredLength the {@code Content-Length}, or -1 when the server gave none */
    BoundedBody(long limit, long declaredLength) {
        this.limit = limit;
        this.declaredLength = declaredLength;
    }

    @Override
    public CompletionStage<byte[]> getBody() {
        return body;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        subscription = s;
        if (declaredLength > limit) {
            abandon();
            return;
        }
        s.request(1);
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
        if (body.isDone()) {
            return;
        }
        for (ByteBuffer b : buffers) {
            if (received.size() + (long) b.remaining() > limit) {
                abandon();
                return;
            }
            byte[] chunk = new byte[b.remaining()];
            b.get(chunk);
            received.writeBytes(chunk);
        }
        subscription.request(1);
    }

    @Override
    public void onError(Throwable t) {
        body.completeExceptionally(t);
    }

    @Override
    public void onComplete() {
        body.complete(received.toByteArray());
    }

    private void abandon() {
        subscription.cancel();
        body.completeExceptionally(new TooLargeException(limit));
    }
}
