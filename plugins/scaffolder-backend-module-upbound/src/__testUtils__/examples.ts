import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { parse } from 'yaml';

/**
 * The input of the first step of an example, as a template would pass it, with
 * `${{ secrets.<name> }}` filled in from `secrets` as the scaffolder renders it.
 */
export function exampleInput(
  example: TemplateExample,
  secrets: Record<string, string> = {},
): Record<string, any> {
  const input = parse(example.example).steps[0].input;
  return JSON.parse(
    JSON.stringify(input).replace(
      /\$\{\{\s*secrets\.([A-Za-z0-9_]+)\s*\}\}/g,
      (_, name: string) => secrets[name] ?? '',
    ),
  );
}
