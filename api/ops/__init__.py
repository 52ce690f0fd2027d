"""Operations: supervising processes, Litestream, the replica's follower."""
