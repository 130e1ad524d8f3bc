/*
 * The product's templates as the catalog reads them: each file is valid YAML and a valid Template entity, so the
 * catalog never drops one silently (a template the catalog cannot parse simply never appears).
 */
import { templateEntityV1beta3Validator } from '@backstage/plugin-scaffolder-common';
import fs from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';

const TEMPLATES = path.resolve(__dirname, '../../../templates');
const files = fs.readdirSync(TEMPLATES).filter(f => f.endsWith('.yaml') && f !== 'catalog-info.yaml');

describe('templates', () => {
  it('lists every template in catalog-info.yaml', () => {
    const location = parseAllDocuments(fs.readFileSync(path.join(TEMPLATES, 'catalog-info.yaml'), 'utf8'))[0].toJS();
    expect([...location.spec.targets].sort()).toEqual(files.map(f => `./${f}`).sort());
  });

  it.each(files)('%s is valid YAML and a valid Template', async file => {
    const docs = parseAllDocuments(fs.readFileSync(path.join(TEMPLATES, file), 'utf8'));
    expect(docs).toHaveLength(1);
    expect(docs[0].errors.map(e => e.message)).toEqual([]);
    const entity = docs[0].toJS();
    await expect(templateEntityV1beta3Validator.check(entity)).resolves.toBe(true);
  });
});
