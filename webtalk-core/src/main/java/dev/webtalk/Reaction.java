package dev.webtalk;

import java.util.Objects;

/**
 * One emoji on a message as a reader sees it: how many users put it there and whether the reader is one
 * of them. Each user puts an emoji on a message at most once.
 *
 * @param emoji one Unicode emoji sequence
 * @param count how many users reacted with it, at least 1
 * @param mine whether the reader did
 */
public record Reaction(String emoji, int count, boolean mine) {
    public Reaction {
        Objects.requireNonNull(emoji, "emoji");
        if (count < 1) {
            throw new IllegalArgumentException("count must be >= 1");
        }
    }
}
