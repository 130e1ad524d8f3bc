import { createBackendModule } from '@backstage/backend-plugin-api';
import {
  createTemplateAction,
  scaffolderActionsExtensionPoint,
} from '@backstage/plugin-scaffolder-node';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * A clone of one repository of the local Space's Git server (HTTPS with the Space's CA), for tests that
 * commit and push as a user would.
 */
export class GitRepository {
  private constructor(
    readonly dir: string,
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  static async clone(url: string, caFile: string): Promise<GitRepository> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'it-git-'));
    const env = {
      ...process.env,
      GIT_SSL_CAINFO: caFile,
      GIT_AUTHOR_NAME: 'App Team',
      GIT_AUTHOR_EMAIL: 'app-team@example.com',
      GIT_COMMITTER_NAME: 'App Team',
      GIT_COMMITTER_EMAIL: 'app-team@example.com',
    };
    await run('git', ['clone', '--quiet', url, dir], { env });
    return new GitRepository(dir, env);
  }

  private git(...args: string[]) {
    return run('git', args, { cwd: this.dir, env: this.env });
  }

  /** Copies `files` (repo path -> content) in, or removes paths given `null`; commits and pushes; returns the commit. */
  async commit(
    message: string,
    files: Record<string, string | null>,
  ): Promise<string> {
    // Others push to the same repository while suites run in parallel.
    await this.git('pull', '--quiet', '--rebase', 'origin', 'main');
    for (const [rel, content] of Object.entries(files)) {
      const p = path.join(this.dir, rel);
      if (content === null) {
        fs.rmSync(p, { recursive: true, force: true });
      } else {
        fs.mkdirSync(path.dirname(p), { recursive: true });
        fs.writeFileSync(p, content);
      }
    }
    await this.git('add', '--all');
    await this.git('commit', '--quiet', '-m', message);
    for (let attempt = 0; ; attempt++) {
      try {
        await this.git('push', '--quiet', 'origin', 'HEAD:main');
        break;
      } catch (e) {
        if (attempt >= 3) throw e;
        await this.git('pull', '--quiet', '--rebase', 'origin', 'main');
      }
    }
    return (await this.git('rev-parse', 'HEAD')).stdout.trim();
  }

  remove() {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

/**
 * `it:git:push`: pushes files of the task workspace to a repository of the local Space's Git server, as a
 * publish step would open a pull request that gets merged. Outputs the commit.
 */
export function gitPushModule(options: { caFile: string }) {
  return createBackendModule({
    pluginId: 'scaffolder',
    moduleId: 'it-git-push',
    register(env) {
      env.registerInit({
        deps: { scaffolder: scaffolderActionsExtensionPoint },
        async init({ scaffolder }) {
          scaffolder.addActions(
            createTemplateAction({
              id: 'it:git:push',
              description: 'Pushes workspace files to a local Space Git repository',
              schema: {
                input: {
                  repositoryUrl: z => z.string(),
                  files: z => z.array(z.string()).min(1),
                  message: z => z.string(),
                },
                output: { commit: z => z.string() },
              },
              async handler(ctx) {
                const repo = await GitRepository.clone(
                  ctx.input.repositoryUrl,
                  options.caFile,
                );
                try {
                  const files: Record<string, string> = {};
                  for (const f of ctx.input.files) {
                    files[f] = fs.readFileSync(
                      path.join(ctx.workspacePath, f),
                      'utf8',
                    );
                  }
                  const commit = await repo.commit(ctx.input.message, files);
                  ctx.logger.info(`pushed ${commit}`);
                  ctx.output('commit', commit);
                } finally {
                  repo.remove();
                }
              },
            }),
          );
        },
      });
    },
  });
}
