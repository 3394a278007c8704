import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';

/**
 * What the test suite needs from the operating system, and the Debian package that brings it.
 * The suite provisions these itself, the way `playwright install --with-deps` does, so that
 * `npm ci && npm test` passes on a fresh machine; it never skips the tests that need them.
 */
export type Requirement = {
  /** What the tests call it in messages. */
  readonly name: string;
  /** The Debian packages that provide it. */
  readonly packages: readonly string[];
  /** Which tests need it, for the one line printed while installing. */
  readonly neededBy: string;
  readonly present: () => boolean;
};

function onPath(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

/** The directory of the newest PostgreSQL server binaries Debian installed, if any. */
export function postgresBinDir(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter((v) => existsSync(`${root}/${v}/bin/postgres`) && existsSync(`${root}/${v}/bin/initdb`))
    .sort((a, b) => Number(b) - Number(a));
  return versions.length > 0 ? `${root}/${versions[0]}/bin` : undefined;
}

export const requirements: readonly Requirement[] = [
  {
    name: 'chromium',
    packages: ['chromium'],
    neededBy: 'the browser tests',
    present: () => existsSync('/usr/bin/chromium'),
  },
  {
    name: 'socat',
    packages: ['socat'],
    neededBy: 'the serial-port tests',
    present: () => onPath('socat'),
  },
  {
    name: 'postgresql',
    packages: ['postgresql'],
    neededBy: 'the PostgreSQL tests',
    present: () => postgresBinDir() !== undefined,
  },
];

function canInstall(): 'root' | 'sudo' | undefined {
  if (process.getuid?.() === 0) return 'root';
  if (onPath('sudo') && spawnSync('sudo', ['-n', 'true'], { stdio: 'ignore' }).status === 0) return 'sudo';
  return undefined;
}

/**
 * Installs whatever is missing with apt-get when this user may (root, or password-less sudo);
 * otherwise throws at once with one line that names the packages to install.
 */
export function ensureSystemRequirements(log: (line: string) => void = console.log): void {
  const missing = requirements.filter((r) => !r.present());
  if (missing.length === 0) return;
  const packages = missing.flatMap((r) => r.packages);
  const how = canInstall();
  if (how === undefined || !onPath('apt-get')) {
    throw new Error(
      `kassa tests need ${missing.map((r) => r.name).join(', ')}: install them first (sudo apt-get install -y ${packages.join(' ')})`,
    );
  }
  log(
    `kassa tests: installing ${packages.join(', ')} with apt-get (for ${missing.map((r) => r.neededBy).join(', ')})`,
  );
  const sudo = how === 'sudo' ? ['sudo', '-n'] : [];
  const run = (args: string[]) => {
    const [command, ...rest] = [...sudo, ...args];
    execFileSync(command as string, rest, {
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
  };
  run(['apt-get', 'update', '-qq']);
  run(['apt-get', 'install', '-y', '-qq', '--no-install-recommends', ...packages]);
  const still = missing.filter((r) => !r.present());
  if (still.length > 0) {
    throw new Error(`kassa tests: apt-get ran but ${still.map((r) => r.name).join(', ')} is still missing`);
  }
}
