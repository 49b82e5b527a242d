// No user-visible string outside the message catalogues: every .tsx file is parsed with the
// TypeScript compiler, and a JSX text node with a letter in it, or a literal user-visible
// attribute (aria-label, title, placeholder, alt, label), fails the test.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = new URL('..', import.meta.url).pathname;
const VISIBLE_ATTRIBUTES = new Set(['aria-label', 'title', 'placeholder', 'alt', 'label', 'aria-description']);
const LETTER = /\p{L}/u;

function tsxFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return tsxFiles(path);
    return e.name.endsWith('.tsx') && !e.name.endsWith('.test.tsx') ? [path] : [];
  });
}

export function hardCodedTexts(source: string, fileName = 'x.tsx'): string[] {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TSX);
  const found: string[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isJsxText(node) && LETTER.test(node.text)) found.push(node.text.trim());
    if (ts.isJsxAttribute(node) && VISIBLE_ATTRIBUTES.has(node.name.getText())) {
      const init = node.initializer;
      const literal = init && (ts.isStringLiteral(init) ? init
        : ts.isJsxExpression(init) && init.expression && ts.isStringLiteral(init.expression) ? init.expression : null);
      if (literal && LETTER.test(literal.text)) found.push(`${node.name.getText()}="${literal.text}"`);
    }
    // A string literal with letters as a direct JSX child: {'Sign in'}
    if (ts.isJsxExpression(node) && node.expression && ts.isJsxElement(node.parent)
      && (ts.isStringLiteral(node.expression) || ts.isNoSubstitutionTemplateLiteral(node.expression))
      && LETTER.test(node.expression.text)) {
      found.push(node.expression.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

describe('no hard-coded user-visible text', () => {
  it('the scan finds text, literal attributes and literal children', () => {
    const sample = `export const A = () => <div title="Hello"><p>Sign in</p>{'Out'}<span aria-label={t('x')}>{t('y')}</span></div>;`;
    expect(hardCodedTexts(sample)).toEqual(['title="Hello"', 'Sign in', 'Out']);
  });

  const files = tsxFiles(ROOT);
  it('finds the components', () => expect(files.length).toBeGreaterThan(5));
  for (const file of files) {
    it(file.slice(ROOT.length), () => {
      expect(hardCodedTexts(readFileSync(file, 'utf8'), file)).toEqual([]);
    });
  }
});
