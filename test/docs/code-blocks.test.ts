import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { entries } from '../../tsup.config.js';

/**
 * Every ```ts block of README.md and docs/*.md is code a user copies, so each one must
 * type-check against the package as published (its subpath exports), under the strict
 * options of this repository.
 *
 * Each block is its own module. A block may use names it does not define (the cart of the
 * previous example, the rules of the app) when it declares them in a hidden prelude: an HTML
 * comment right before the block, which renders as nothing on GitHub or npm.
 *
 *     <!-- prelude
 *     import { createCart, type PricingRules } from 'kassa';
 *     declare const rules: PricingRules;
 *     -->
 *     ```ts
 *     const cart = createCart({ currency: 'EUR', rules });
 *     ```
 *
 * A `<!-- file-prelude ... -->` comment (say, at the top of a guide) is the prelude of every
 * block after it in that file, so the imports a guide's examples share are written once. A
 * name the block itself imports or declares is taken out of the preludes, so a block may
 * repeat an import of the prelude.
 */

const root = fileURLToPath(new URL('../..', import.meta.url));

type DocBlock = {
  /** The markdown file, relative to the repository. */
  readonly file: string;
  /** 1-based line of the block's first code line in the markdown file. */
  readonly line: number;
  readonly prelude: string;
  readonly code: string;
};

// The rest of the opening line is a note for the reader of the markdown source, not code.
// The prelude right before the block: its body never spans another comment's end.
const PRELUDE = /<!--\s*prelude\b[^\n]*\n((?:(?!-->)[\s\S])*)-->\s*$/;
const FILE_PRELUDE = /<!--\s*file-prelude\b[^\n]*\n([\s\S]*?)-->/g;

/** The ```ts / ```typescript blocks of one markdown text, each with its hidden prelude. */
function extractBlocks(file: string, markdown: string): DocBlock[] {
  const lines = markdown.split('\n');
  const blocks: DocBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const fence = /^(\s*)(`{3,}|~{3,})\s*(ts|typescript)\s*$/.exec(lines[i] ?? '');
    if (!fence) continue;
    const end = lines.findIndex((l, j) => j > i && l.trim() === fence[2]);
    if (end === -1) throw new Error(`${file}:${i + 1}: a \`\`\`ts block that is never closed`);
    const before = lines.slice(0, i).join('\n');
    const shared = [...before.matchAll(FILE_PRELUDE)].map((m) => m[1] ?? '');
    const prelude = [...shared, PRELUDE.exec(before)?.[1] ?? '']
      .map((p) => p.trim())
      .filter(Boolean)
      .join('\n');
    const indent = fence[1]?.length ?? 0;
    const code = lines
      .slice(i + 1, end)
      .map((l) => l.slice(Math.min(indent, l.length - l.trimStart().length)))
      .join('\n');
    blocks.push({ file, line: i + 2, prelude: prelude.trim(), code });
    i = end;
  }
  return blocks;
}

function docFiles(): string[] {
  const docs = readdirSync(join(root, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .sort()
    .map((f) => `docs/${f}`);
  return ['README.md', ...docs];
}

/** `kassa` and `kassa/<subpath>` resolve to the source of each export's tsup entry. */
function exportPaths(): Record<string, string[]> {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    exports: Record<string, { import?: { default?: string } } | string>;
  };
  const paths: Record<string, string[]> = {};
  for (const [subpath, target] of Object.entries(pkg.exports)) {
    if (typeof target === 'string') continue;
    const built = target.import?.default;
    const entry = built && /^\.\/dist\/(.+)\.js$/.exec(built)?.[1];
    const source = entry ? entries[entry] : undefined;
    if (!source) continue;
    paths[subpath === '.' ? 'kassa' : `kassa/${subpath.slice(2)}`] = [join(root, source)];
  }
  return paths;
}

type Failure = { block: DocBlock; messages: string[] };

/** The names a block's top level imports or declares. */
function declaredNames(code: string): Set<string> {
  const names = new Set<string>();
  const source = ts.createSourceFile('block.ts', code, ts.ScriptTarget.Latest, false);
  const bindings = (name: ts.BindingName): void => {
    if (ts.isIdentifier(name)) names.add(name.text);
    else for (const e of name.elements) if (!ts.isOmittedExpression(e)) bindings(e.name);
  };
  for (const statement of source.statements) {
    if (ts.isImportDeclaration(statement)) {
      const clause = statement.importClause;
      if (clause?.name) names.add(clause.name.text);
      const bound = clause?.namedBindings;
      if (bound && ts.isNamespaceImport(bound)) names.add(bound.name.text);
      if (bound && ts.isNamedImports(bound)) for (const e of bound.elements) names.add(e.name.text);
    } else if (ts.isVariableStatement(statement)) {
      for (const d of statement.declarationList.declarations) bindings(d.name);
    } else if (
      (ts.isFunctionDeclaration(statement) ||
        ts.isClassDeclaration(statement) ||
        ts.isTypeAliasDeclaration(statement) ||
        ts.isInterfaceDeclaration(statement) ||
        ts.isEnumDeclaration(statement)) &&
      statement.name
    ) {
      names.add(statement.name.text);
    }
  }
  return names;
}

/** The prelude without what the block defines itself (else TypeScript reports duplicates). */
function preludeFor(prelude: string, code: string): string {
  if (!prelude) return '';
  const own = declaredNames(code);
  const source = ts.createSourceFile('prelude.ts', prelude, ts.ScriptTarget.Latest, true);
  const printer = ts.createPrinter();
  const kept: string[] = [];
  for (const statement of source.statements) {
    if (ts.isImportDeclaration(statement) && statement.importClause?.namedBindings) {
      const bound = statement.importClause.namedBindings;
      if (ts.isNamedImports(bound)) {
        const elements = bound.elements.filter((e) => !own.has(e.name.text));
        if (elements.length === 0) continue;
        const clause = ts.factory.updateImportClause(
          statement.importClause,
          statement.importClause.isTypeOnly,
          statement.importClause.name,
          ts.factory.updateNamedImports(bound, elements),
        );
        kept.push(
          printer.printNode(
            ts.EmitHint.Unspecified,
            ts.factory.updateImportDeclaration(
              statement,
              statement.modifiers,
              clause,
              statement.moduleSpecifier,
              statement.attributes,
            ),
            source,
          ),
        );
        continue;
      }
    }
    const names = declaredNames(statement.getText(source));
    if (names.size > 0 && [...names].every((n) => own.has(n))) continue;
    kept.push(statement.getText(source));
  }
  return kept.join('\n');
}

/** Type-checks the blocks in one program; the messages point at lines of the markdown. */
function checkBlocks(blocks: readonly DocBlock[]): Failure[] {
  const config = ts.readConfigFile(join(root, 'tsconfig.json'), ts.sys.readFile);
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, root);
  const options: ts.CompilerOptions = {
    ...parsed.options,
    noEmit: true,
    // Examples may leave a value unused: the reader sees the call, the result is for later.
    noUnusedLocals: false,
    noUnusedParameters: false,
    baseUrl: root,
    paths: exportPaths(),
  };
  // Virtual files beside the guides, so that imports resolve from the repository's
  // node_modules exactly as in an app that installed kassa.
  const virtual = new Map<string, { block: DocBlock; preludeLines: number }>();
  const sources = new Map<string, string>();
  blocks.forEach((block, n) => {
    const name = join(root, 'docs', `.block-${n}-${block.file.replace(/[^\w]/g, '_')}.ts`);
    const text = preludeFor(block.prelude, block.code);
    const prelude = text ? `${text}\n` : '';
    // `export {}` keeps each block a module of its own, so names never clash across blocks.
    sources.set(name, `${prelude}${block.code}\nexport {};\n`);
    virtual.set(name, { block, preludeLines: prelude ? prelude.split('\n').length - 1 : 0 });
  });
  const host = ts.createCompilerHost(options);
  const { fileExists, readFile, getSourceFile } = host;
  host.fileExists = (f) => sources.has(f) || fileExists.call(host, f);
  host.readFile = (f) => sources.get(f) ?? readFile.call(host, f);
  host.getSourceFile = (f, language, onError, create) => {
    const text = sources.get(f);
    return text !== undefined
      ? ts.createSourceFile(f, text, language, true)
      : getSourceFile.call(host, f, language, onError, create);
  };
  const program = ts.createProgram([...sources.keys()], options, host);
  const failures = new Map<string, Failure>();
  for (const name of sources.keys()) {
    const file = program.getSourceFile(name);
    const diagnostics = [...program.getSyntacticDiagnostics(file), ...program.getSemanticDiagnostics(file)];
    const entry = virtual.get(name);
    if (!entry || diagnostics.length === 0) continue;
    const { block, preludeLines } = entry;
    const messages = diagnostics.map((d) => {
      const text = ts.flattenDiagnosticMessageText(d.messageText, '\n    ');
      if (!d.file || d.start === undefined) return text;
      const at = d.file.getLineAndCharacterOfPosition(d.start).line;
      const where =
        at < preludeLines
          ? `${block.file} (prelude line ${at + 1})`
          : `${block.file}:${block.line + at - preludeLines}`;
      return `${where}: TS${d.code} ${text}`;
    });
    failures.set(name, { block, messages });
  }
  return [...failures.values()];
}

describe('code blocks of the README and the guides', () => {
  const blocks = docFiles().flatMap((f) => extractBlocks(f, readFileSync(join(root, f), 'utf8')));

  it('finds the blocks, with their preludes', () => {
    const sample = extractBlocks(
      'x.md',
      [
        'text',
        '<!-- prelude',
        "declare const a: 'x';",
        '-->',
        '```ts',
        'a;',
        '```',
        '```typescript',
        'b;',
        '```',
      ].join('\n'),
    );
    expect(sample).toEqual([
      { file: 'x.md', line: 6, prelude: "declare const a: 'x';", code: 'a;' },
      { file: 'x.md', line: 9, prelude: '', code: 'b;' },
    ]);
    expect(blocks.length).toBeGreaterThan(20);
    expect(new Set(blocks.map((b) => b.file))).toContain('README.md');
  });

  it('reports a block that does not compile, at its markdown line', () => {
    const [failure] = checkBlocks(
      extractBlocks(
        'bad.md',
        ['# x', '```ts', "import { money } from 'kassa';", "money(12.1, 'EUR', 3);", '```'].join('\n'),
      ),
    );
    expect(failure?.messages.join('\n')).toMatch(/^bad\.md:4: TS2554 /);
  });

  it('type-checks every block', () => {
    const failures = checkBlocks(blocks);
    const report = failures
      .map(
        ({ block, messages }) =>
          `\n${block.file}:${block.line} (a \`\`\`ts block):\n  ${messages.join('\n  ')}`,
      )
      .join('\n');
    expect(
      failures.length,
      `${failures.length} code block(s) do not compile:${report}\n\n` +
        'Fix the code, or declare the names a block uses without defining them in a hidden ' +
        'prelude, an HTML comment right before the block:\n' +
        "  <!-- prelude\n  import { type PricingRules } from 'kassa';\n  declare const rules: PricingRules;\n  -->\n" +
        `(${relative(root, fileURLToPath(import.meta.url))} explains the format.)`,
    ).toBe(0);
  }, 120_000);
});
