package dev.webtalk.internal;

import dev.webtalk.RoomId;

import java.security.SecureRandom;

/** Generates unguessable room ids: 8 characters of base62, about 47 bits of entropy. */
final class RoomIds {
    private static final char[] ALPHABET =
            "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();
    /** Length of a generated id. */
    public static final int LENGTH = 8;

    private final SecureRandom random = new SecureRandom();

    public RoomId next() {
        char[] id = new char[LENGTH];
        for (int i = 0; i < id.length; i++) {
            id[i] = ALPHABET[random.nextInt(ALPHABET.length)];
        }
        return new RoomId(new String(id));
    }
}
