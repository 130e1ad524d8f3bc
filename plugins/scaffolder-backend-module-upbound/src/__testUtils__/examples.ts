import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { parse } from 'yaml';

/** The input of the first step of an example, as a template would pass it. */
export function exampleInput(example: TemplateExample): Record<string, any> {
  return parse(example.example).steps[0].input;
}
