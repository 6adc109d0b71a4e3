# One image for the migrate step, the worker and the gateway (docker-compose.yml), on
# Node.js 24 LTS (the version `npm start` pins when a machine's Node is older).
FROM node:24.21.0-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
# npm install, not npm ci: see scripts/bootstrap.sh (npm/cli#4828).
RUN npm install --no-save --omit=dev --no-audit --no-fund
COPY . .
# The Prisma client, and the workflow bundle so that a container starts without bundling.
RUN npx prisma generate && node --import tsx scripts/bundle-workflows.ts
# Memory's default embedding model (the pins scripts/bootstrap.sh installs).
RUN apt-get update && apt-get install -y --no-install-recommends python3 python3-venv \
  && rm -rf /var/lib/apt/lists/* .tools/embeddings \
  && python3 -m venv .tools/embeddings \
  && .tools/embeddings/bin/pip install --no-cache-dir -r scripts/local-embeddings-requirements.txt
# DATA_DIR (workspace files, MEMORY.md, voice notes, the Telegram login). A named volume
# mounted here takes this directory's owner when it is first created: the user below.
ENV DATA_DIR=/data
RUN mkdir -p /data && chown node:node /data
USER node
CMD ["node", "--import", "tsx", "worker/main.ts"]
