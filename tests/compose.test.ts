// docker-compose.yml and the Dockerfile, checked without a Docker engine (none runs here):
// Debian's docker-compose validates and resolves the file; what would make the stack fail
// on a real host is checked on the parsed result: volumes written by users that own them,
// health checks that exist and use commands the pinned images ship, one-shot setup steps,
// every variable the code needs, ports on loopback only, and image pins the README names.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadConfig } from '../infra/config.ts';
import { REPO_ROOT } from '../infra/paths.ts';

const REQUIRED = { OWNER_TELEGRAM_ID: '42', ANTHROPIC_API_KEY: 'sk-ant-x' };

function composeConfig(env: Record<string, string>, quiet = true) {
  const result = spawnSync(
    'docker-compose',
    ['-f', join(REPO_ROOT, 'docker-compose.yml'), 'config', ...(quiet ? ['-q'] : [])],
    { cwd: REPO_ROOT, env: { PATH: process.env.PATH, ...env }, encoding: 'utf8' },
  );
  if (result.error)
    throw new Error(`docker-compose is not installed (apt-get install docker-compose): ${result.error.message}`);
  return result;
}

interface Service {
  image?: string;
  build?: unknown;
  user?: string;
  command?: string[];
  entrypoint?: string[];
  environment?: Record<string, string | null>;
  volumes?: Array<{ type: string; source: string; target: string; read_only?: boolean }>;
  ports?: Array<{ host_ip?: string; target: number }>;
  healthcheck?: { test: string[] };
  depends_on?: Record<string, { condition: string }>;
  restart?: string;
}

/**
 * The stack as docker-compose resolves it (variables substituted, anchors merged), with
 * its short volume ("source:target:mode") and port ("ip:published:target/proto") forms parsed.
 */
const resolved = new Map<string, Record<string, Service>>();
function resolvedServices(env: Record<string, string> = {}): Record<string, Service> {
  const key = JSON.stringify(env);
  if (!resolved.has(key)) resolved.set(key, resolve(env));
  return resolved.get(key)!;
}

function resolve(env: Record<string, string>): Record<string, Service> {
  const result = composeConfig({ ...REQUIRED, ...env }, false);
  expect(result.status, result.stderr).toBe(0);
  const services = (parse(result.stdout) as { services: Record<string, Record<string, unknown>> }).services;
  return Object.fromEntries(
    Object.entries(services).map(([name, service]) => [
      name,
      {
        ...service,
        volumes: ((service.volumes ?? []) as string[]).map((v) => {
          const [source, target, mode] = v.split(':') as [string, string, string | undefined];
          return { type: source.startsWith('/') ? 'bind' : 'volume', source, target, read_only: mode === 'ro' };
        }),
        ports: ((service.ports ?? []) as string[]).map((p) => {
          const parts = p.replace(/\/\w+$/, '').split(':');
          return { host_ip: parts.length === 3 ? parts[0] : undefined, target: Number(parts.at(-1)) };
        }),
      } as Service,
    ]),
  );
}

/** The Dockerfile's final user, ENV and the directories its RUN lines create and hand to a user. */
function dockerfile() {
  const lines = readFileSync(join(REPO_ROOT, 'Dockerfile'), 'utf8').split('\n');
  const from = lines
    .find((l) => l.startsWith('FROM '))!
    .slice(5)
    .trim();
  const user =
    lines
      .filter((l) => l.startsWith('USER '))
      .at(-1)
      ?.slice(5)
      .trim() ?? 'root';
  const runs = lines.filter((l) => l.startsWith('RUN ')).join('\n');
  const ownedBy = (dir: string) => new RegExp(`chown (-R )?${user}(:${user})? ${dir}(\\s|$)`).test(runs);
  const created = (dir: string) => new RegExp(`mkdir (-p )?${dir}(\\s|&|$)`).test(runs);
  return { from, user, ownedBy, created };
}

/**
 * Executables each pinned third-party image ships, as read in its published Dockerfile
 * (temporalio/docker-builds server.Dockerfile copies the `temporal` CLI into the server
 * image; qdrant's is Debian slim with bash but no curl; postgres ships pg_isready).
 */
const IMAGE_COMMANDS: Record<string, string[]> = {
  postgres: ['pg_isready'],
  'temporalio/server': ['temporal', 'temporal-server', 'sh', 'bash'],
  'temporalio/admin-tools': ['sh', 'temporal', 'temporal-sql-tool'],
  'qdrant/qdrant': ['bash', 'sh'],
};

/** Images whose entrypoint starts as root and hands its data folder to its own user (or runs as root). */
const IMAGES_THAT_OWN_THEIR_VOLUMES = ['postgres', 'qdrant/qdrant'];

const repository = (image: string) => image.split(':')[0]!;

describe('docker-compose.yml', () => {
  it('validates with the required variables set', () => {
    const result = composeConfig(REQUIRED);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it('refuses to start without the owner id, saying which variable is missing', () => {
    const result = composeConfig({ ANTHROPIC_API_KEY: 'sk-ant-x' });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('set OWNER_TELEGRAM_ID');
  });

  it('passes the app only variables documented in .env.example', () => {
    const compose = readFileSync(join(REPO_ROOT, 'docker-compose.yml'), 'utf8');
    const appEnv = compose.slice(compose.indexOf('x-app-env'), compose.indexOf('x-temporal-db-env'));
    const names = [...appEnv.matchAll(/^ {2}([A-Z_]+):/gm)].map((m) => m[1]);
    const documented = readFileSync(join(REPO_ROOT, '.env.example'), 'utf8');
    expect(names.length).toBeGreaterThan(8);
    for (const name of names) expect(documented).toMatch(new RegExp(`^${name}=`, 'm'));
  });

  it('gives every app service a configuration the code accepts, with Temporal and DATA_DIR set', () => {
    const services = resolvedServices();
    const app = Object.entries(services).filter(([, s]) => s.build);
    expect(app.map(([name]) => name).sort()).toEqual(['gateway', 'migrate', 'worker']);
    for (const [name, service] of app) {
      const env = Object.fromEntries(Object.entries(service.environment ?? {}).map(([k, v]) => [k, v ?? '']));
      const config = loadConfig(env, { claude: name === 'worker' });
      expect(config.temporalAddress, name).toBe('temporal:7233');
      expect(config.dataDir, name).toBe('/data');
      expect(config.databaseUrl, name).toMatch(/@postgres:5432\/jobs$/);
    }
  });

  it('lets every service write its volumes: the image creates DATA_DIR owned by the user it runs as', () => {
    const services = resolvedServices();
    const image = dockerfile();
    expect(image.user).not.toBe('root');
    for (const [name, service] of Object.entries(services)) {
      for (const volume of (service.volumes ?? []).filter((v) => v.type === 'volume' && !v.read_only)) {
        if (service.build) {
          expect(service.user ?? image.user, name).toBe(image.user);
          expect(image.created(volume.target), `${name}: the image creates ${volume.target}`).toBe(true);
          expect(image.ownedBy(volume.target), `${name}: ${volume.target} is owned by ${image.user}`).toBe(true);
        } else {
          expect(IMAGES_THAT_OWN_THEIR_VOLUMES, `${name} writes ${volume.target}`).toContain(
            repository(service.image!),
          );
        }
      }
    }
  });

  it('has a health check, with a command its image ships, behind every service_healthy', () => {
    const services = resolvedServices();
    for (const [name, service] of Object.entries(services)) {
      for (const [dependency, { condition }] of Object.entries(service.depends_on ?? {})) {
        const target = services[dependency]!;
        if (condition === 'service_healthy') {
          expect(target.healthcheck, `${name} waits for ${dependency} to be healthy`).toBeDefined();
        }
        if (condition === 'service_completed_successfully') {
          // A one-shot step: it must end, and not be restarted once it did.
          expect(target.restart ?? 'no', `${dependency} is a one-shot`).toMatch(/^(no|on-failure(:\d+)?)$/);
        }
      }
      if (service.healthcheck) {
        const [kind, executable] = service.healthcheck.test;
        expect(kind, name).toBe('CMD');
        expect(IMAGE_COMMANDS[repository(service.image!)], `${name}'s image ships ${executable}`).toContain(executable);
      }
    }
    // The Temporal server listens on all of its container's addresses, so its own name answers.
    expect(services.temporal!.environment!.BIND_ON_IP).toBe('0.0.0.0');
    expect(services.temporal!.healthcheck!.test).toEqual([
      'CMD',
      'temporal',
      'operator',
      'cluster',
      'health',
      '--address',
      'temporal:7233',
    ]);
  });

  it('runs Temporal from temporalio/server, with its schema and namespace set up by one-shot services', () => {
    const services = resolvedServices();
    expect(repository(services.temporal!.image!)).toBe('temporalio/server');
    expect(Object.values(services).some((s) => s.image?.startsWith('temporalio/auto-setup'))).toBe(false);
    expect(services.temporal!.depends_on!['temporal-schema']!.condition).toBe('service_completed_successfully');
    expect(services['temporal-namespace']!.depends_on!.temporal!.condition).toBe('service_healthy');
    for (const app of ['worker', 'gateway']) {
      expect(services[app]!.depends_on!['temporal-namespace']!.condition).toBe('service_completed_successfully');
      expect(services[app]!.depends_on!.migrate!.condition).toBe('service_completed_successfully');
    }
    for (const step of ['temporal-schema', 'temporal-namespace']) {
      const service = services[step]!;
      expect(repository(service.image!)).toBe('temporalio/admin-tools');
      const script = service.volumes!.find((v) => v.type === 'bind')!;
      expect(existsSync(script.source), `${step} runs ${script.source}`).toBe(true);
      expect(service.entrypoint).toEqual(['/bin/sh', script.target]);
      // Only tools the admin-tools image ships.
      const commands = readFileSync(script.source, 'utf8').match(/\b(temporal-sql-tool|temporal|tctl)\b/g) ?? [];
      expect(commands.length).toBeGreaterThan(0);
      for (const command of commands) expect(IMAGE_COMMANDS['temporalio/admin-tools']).toContain(command);
    }
  });

  it('points the Temporal UI at a codec server when one is configured, and publishes ports on loopback only', () => {
    expect(resolvedServices()['temporal-ui']!.environment!.TEMPORAL_CODEC_ENDPOINT ?? '').toBe('');
    const ui = resolvedServices({ TEMPORAL_CODEC_ENDPOINT: 'http://localhost:8888' })['temporal-ui']!;
    expect(ui.environment!.TEMPORAL_CODEC_ENDPOINT).toBe('http://localhost:8888');
    for (const [name, service] of Object.entries(resolvedServices())) {
      for (const port of service.ports ?? [])
        expect(port.host_ip, `${name} publishes ${port.target}`).toBe('127.0.0.1');
    }
  });

  it('pins the same image versions the README names', () => {
    const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
    const images = new Set(Object.values(resolvedServices()).flatMap((s) => (s.image ? [s.image] : [])));
    images.add(dockerfile().from);
    for (const image of images) {
      expect(image, 'pinned to a version').toMatch(/:v?\d+\.\d+(\.\d+)?(-[\w.-]+)?$/);
      expect(readme, `README names ${image}`).toContain(`\`${image}\``);
    }
  });
});
