# ChaosCat: build the TypeScript once, run plain JavaScript as a non-root user.
#   docker build -t chaoscat .
#   docker run --init -d --name chaoscat --env-file chaoscat.env \
#     -v chaoscat-data:/app/data -v "$PWD/chaoscat.yaml:/app/config/chaoscat.yaml:ro" \
#     -v "$PWD/ssh:/home/chaoscat/.ssh:ro" --stop-timeout 90 chaoscat
# (ssh/ holds the bot's private key id_ed25519 and known_hosts: the config's ~/.ssh/… paths.)
# Details (config paths, the data volume, stopping): docs/operations.md, "Running it in a container".

# --- build: compilers for better-sqlite3 (and ssh2's optional cpu-features) where no prebuilt binary fits
FROM node:24-bookworm-slim AS build
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
# bin/bundle.mjs bundles dist/ and makes the bundle's code cache by running it once (bin/code-cache.js):
# made here, by the same Node image as the runtime stage's, so the cache fits it.
COPY bin ./bin
# dist/ from the sources, then only the runtime dependencies are kept (tsx, typescript, esbuild, ws go).
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

# --- runtime: no compilers, no sources, no dev dependencies
FROM node:24-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
# A fixed uid/gid, so the owner of a bind-mounted data directory can be set on the host (chown 10001).
RUN groupadd --system --gid 10001 chaoscat \
  && useradd --system --uid 10001 --gid chaoscat --home-dir /home/chaoscat --create-home --shell /usr/sbin/nologin chaoscat \
  && install -d -o chaoscat -g chaoscat -m 700 /home/chaoscat/.ssh
# The config's ~/.ssh/id_ed25519 and ~/.ssh/known_hosts: mount the key and known_hosts there (read-only).
ENV HOME=/home/chaoscat
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY bin ./bin
COPY migrations ./migrations
COPY attacks ./attacks
# The example config (dry run). Mount your own over it, or point CHAOSCAT_CONFIG elsewhere; relative
# paths in it are relative to the config file, so ../data/chaoscat.db is the volume below.
COPY config ./config
ENV CHAOSCAT_CONFIG=/app/config/chaoscat.yaml
RUN mkdir -p /app/data && chown chaoscat:chaoscat /app/data
# The database (SQLite, WAL), its lock file and the report charts: keep them across containers.
VOLUME ["/app/data"]
USER chaoscat
# SIGTERM (docker stop) reverts every attack in flight before the process exits; give it longer
# than schedule.shutdownTimeout (docker stop --time / --stop-timeout, compose stop_grace_period).
STOPSIGNAL SIGTERM
# Ready = the database takes writes, a `stop` can be heard, not shutting down (GET /readyz on the
# archive's port, web.port, 8484 by default). With web.port changed or 0, set CHAOSCAT_PROBE_URL to
# the port that serves it (metrics.port serves /readyz too). The slim image has no curl: Node asks.
ENV CHAOSCAT_PROBE_URL=http://127.0.0.1:8484/readyz
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch(process.env.CHAOSCAT_PROBE_URL,{signal:AbortSignal.timeout(4000)}).then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
ENTRYPOINT ["node", "bin/chaoscat.js"]
CMD ["run"]
