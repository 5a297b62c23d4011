# syntax=docker/dockerfile:1
# Build: the same xtask build as on a developer machine (SPA → dist/, embedded in one binary).
FROM rust:1.95-bookworm AS builder
RUN rustup target add wasm32-unknown-unknown
WORKDIR /src
COPY . .
RUN cargo xtask build --release

# Run: a slim image with only the binary, as a non-root user, data on a volume.
FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --home-dir /data --shell /usr/sbin/nologin wxportal \
 && mkdir -p /data && chown wxportal /data
COPY --from=builder /src/target/release/wxportal /usr/local/bin/wxportal
USER wxportal
VOLUME ["/data"]
ENV WXPORTAL_DATA_DIR=/data \
    WXPORTAL_BIND=0.0.0.0:8080
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/wxportal"]
CMD ["serve"]
