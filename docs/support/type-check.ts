import { dirname, join, resolve } from 'node:path';
import ts from 'typescript';
import { type CodeBlock, where } from './code-blocks.js';

/**
 * The project's compiler options (`tsconfig.base.json`: strict, noUncheckedIndexedAccess,
 * exactOptionalPropertyTypes, NodeNext…) for checking only. Unused names are allowed: a snippet
 * that builds a `client` to show an option has nothing to do with it afterwards.
 */
function checkOptions(root: string): ts.CompilerOptions {
  const configPath = join(root, 'tsconfig.base.json');
  const { config, error } = ts.readConfigFile(configPath, ts.sys.readFile);
  if (error !== undefined) throw new Error(ts.flattenDiagnosticMessageText(error.messageText, '\n'));
  const parsed = ts.parseJsonConfigFileContent(config, ts.sys, root, undefined, configPath);
  return {
    ...parsed.options,
    noEmit: true,
    composite: false,
    declaration: false,
    declarationMap: false,
    sourceMap: false,
    incremental: false,
    noUnusedLocals: false,
    noUnusedParameters: false,
  };
}

/**
 * Type-checks every block in ONE program. Each block becomes a virtual module next to its
 * Markdown file, so `@pluggable/*` resolves through the workspace links to the built `dist/`
 * declarations and relative imports (`../examples/…`) resolve as they read.
 * Returns the diagnostics of each block, located at their line in the Markdown file.
 */
export function typeCheckBlocks(root: string, blocks: readonly CodeBlock[]): Map<CodeBlock, string[]> {
  const options = checkOptions(root);
  const virtual = new Map<string, { block: CodeBlock; text: string }>();
  blocks.forEach((block, index) => {
    const path = resolve(root, dirname(block.quotes ?? block.file), `__docs_block_${index}.ts`);
    // `export {}` makes a block without imports a module too, so top-level await is allowed and
    // names never clash between blocks.
    virtual.set(path, { block, text: `${block.code}\nexport {};\n` });
  });

  const host = ts.createCompilerHost(options, true);
  const getSourceFile = host.getSourceFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  const readFile = host.readFile.bind(host);
  host.getSourceFile = (fileName, language, onError, shouldCreate) => {
    const entry = virtual.get(resolve(fileName));
    if (entry !== undefined) return ts.createSourceFile(fileName, entry.text, language, true);
    return getSourceFile(fileName, language, onError, shouldCreate);
  };
  host.fileExists = (fileName) => virtual.has(resolve(fileName)) || fileExists(fileName);
  host.readFile = (fileName) => virtual.get(resolve(fileName))?.text ?? readFile(fileName);

  const program = ts.createProgram({ rootNames: [...virtual.keys()], options, host });
  const results = new Map<CodeBlock, string[]>();
  const global = [...program.getOptionsDiagnostics(), ...program.getGlobalDiagnostics()];
  for (const [path, { block }] of virtual) {
    const source = program.getSourceFile(path);
    if (source === undefined) throw new Error(`${where(block)}: the block was not part of the program`);
    const diagnostics = [
      ...global,
      ...program.getSyntacticDiagnostics(source),
      ...program.getSemanticDiagnostics(source),
    ];
    results.set(
      block,
      diagnostics.map((diagnostic) => {
        const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n');
        if (diagnostic.file === undefined || diagnostic.start === undefined) {
          return `${where(block)} TS${diagnostic.code}: ${message}`;
        }
        const { line, character } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
        const at =
          diagnostic.file === source
            ? `${block.file}:${block.line + line}:${character + 1}`
            : diagnostic.file.fileName;
        return `${at} TS${diagnostic.code}: ${message}`;
      }),
    );
  }
  return results;
}
