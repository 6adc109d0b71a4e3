# One image for the migrate step, the worker and the gateway (docker-compose.yml).
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
# npm install, not npm ci: see scripts/bootstrap.sh (npm/cli#4828).
RUN npm install --no-save --omit=dev --no-audit --no-fund
COPY . .
RUN npx prisma generate
# Memory's default embedding model (the pins scripts/bootstrap.sh installs).
RUN apt-get update && apt-get install -y --no-install-recommends python3 python3-venv \
  && rm -rf /var/lib/apt/lists/* .tools/embeddings \
  && python3 -m venv .tools/embeddings \
  && .tools/embeddings/bin/pip install --no-cache-dir -r scripts/local-embeddings-requirements.txt
USER node
CMD ["node", "--import", "tsx", "worker/main.ts"]
