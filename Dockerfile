# gramota: build the release binary, run `gramota serve` as an unprivileged user.
FROM rust:1-bookworm AS build
WORKDIR /src
COPY Cargo.toml Cargo.lock ./
COPY src ./src
# Cargo.toml names the render bench; its file must be there for the manifest to load.
COPY benches ./benches
COPY migrations ./migrations
COPY fonts ./fonts
COPY templates ./templates
RUN cargo build --release --locked && strip target/release/gramota

FROM debian:bookworm-slim
# poppler-utils: pdftoppm draws the PNG previews of designs (without it they answer 501).
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates tzdata poppler-utils \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --home-dir /var/lib/gramota --create-home --shell /usr/sbin/nologin gramota
WORKDIR /app
COPY --from=build /src/target/release/gramota /usr/local/bin/gramota
# Fonts and templates are compiled into the binary; the copies carry their licences and let an
# operator see what the service prints with.
COPY fonts ./fonts
COPY templates ./templates
USER gramota
ENV GRAMOTA_BIND=0.0.0.0:8080 \
    GRAMOTA_DATA_DIR=/var/lib/gramota \
    RUST_LOG=info
VOLUME ["/var/lib/gramota"]
EXPOSE 8080
CMD ["gramota", "serve"]
