package dev.latchkey.api.hostsync;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The unauthenticated GETs of host-sync, with {@code If-None-Match}: no token is ever sent, every
 * download is bounded in time (connect to last byte) and in size, and only a 200's body is read
 * at all, so nothing a failing server says reaches memory or the host's logs.
 */
final class ConditionalGet {
    /** Far above any real keys document or KRL, far below what would hurt a host. */
    static final long MAX_BODY_BYTES = 64L << 20;

    /** What the server answered. */
    sealed interface Answer permits Fresh, NotModified {
    }

    /** A 200: the body, and its ETag (null when the server gave none). */
    record Fresh(byte[] body, String etag) implements Answer {
    }

    /** A 304 to {@code If-None-Match}: the copy the host holds is current. */
    record NotModified() implements Answer {
    }

    /** Why no answer could be used; the message is a sentence fragment for the operator. */
    static final class FailedException extends Exception {
        FailedException(String message) {
            super(message);
        }
    }

    private final HttpClient client;
    private final Duration timeout;

    private ConditionalGet(HttpClient client, Duration timeout) {
        this.client = client;
        this.timeout = timeout;
    }

    /** A client trusting {@code caCert}'s certificates for https, or the JDK's when it is null. */
    static ConditionalGet create(Path caCert, Duration timeout) throws IOException {
        // Redirects are not followed: the keys document decides who logs in to the host, so it is
        // taken from the address the operator configured and nowhere else.
        HttpClient.Builder b = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(timeout);
        if (caCert != null) {
            b.sslContext(CaBundle.trusting(caCert));
        }
        return new ConditionalGet(b.build(), timeout);
    }

    /** {@code GET url}, conditional on {@code etag} unless it is null. */
    Answer get(URI url, String etag) throws FailedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(url).GET().timeout(timeout);
        if (etag != null) {
            request.header("If-None-Match", etag);
        }
        CompletableFuture<HttpResponse<byte[]>> pending = client.sendAsync(request.build(), info ->
                info.statusCode() == 200
                        ? new BoundedBody(MAX_BODY_BYTES, info.headers().firstValueAsLong("Content-Length").orElse(-1))
                        : HttpResponse.BodySubscribers.replacing(new byte[0]));
        HttpResponse<byte[]> response;
        try {
            // the request's own timeout stops at the headers: this one also bounds a body that trickles
            response = pending.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            pending.cancel(true);
            throw timedOut(url);
        } catch (InterruptedException e) {
            pending.cancel(true);
            Thread.currentThread().interrupt();
            throw new FailedException("interrupted while fetching " + url);
        } catch (ExecutionException e) {
            throw failed(url, e.getCause());
        }
        return switch (response.statusCode()) {
            case 200 -> new Fresh(response.body(), response.headers().firstValue("ETag").orElse(null));
            case 304 -> {
                if (etag == null) {
                    throw new FailedException(url + " answered 304 Not Modified to a request that named no ETag");
                }
                yield new NotModified();
            }
            default -> throw new FailedException(url + " answered " + response.statusCode());
        };
    }

    private FailedException timedOut(URI url) {
        String seconds = BigDecimal.valueOf(timeout.toMillis(), 3).stripTrailingZeros().toPlainString();
        return new FailedException("no complete answer from " + url + " within " + seconds + "s");
    }

    private FailedException failed(URI url, Throwable cause) {
        for (Throwable c = cause; c != null; c = c.getCause()) {
            if (c instanceof BoundedBody.TooLargeException) {
                return new FailedException(c.getMessage() + " (" + url + ")");
            }
            if (c instanceof HttpTimeoutException) {
                return timedOut(url);
            }
            if (c instanceof ConnectException) {
                // the JDK's client reports a refused connection as a ConnectException without a message
                return new FailedException("could not connect to " + url + ": "
                        + (c.getMessage() == null ? "connection refused" : c.getMessage()));
            }
        }
        return new FailedException("could not fetch " + url + ": " + detail(cause));
    }

    /** The JDK's client often throws without a message: the first message along the causes, else the kind. */
    private static String detail(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c.getMessage() != null && !c.getMessage().isBlank()) {
                return c.getMessage();
            }
        }
        return t.getClass().getSimpleName();
    }
}
