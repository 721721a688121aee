/**
 * Tells which expressions in a pipeline file name the engine's step classes and its `sql` tag:
 * the plain names, names imported or destructured under an alias, names copied into a top-level
 * constant, and member access such as `engine.SilverStep`. Works on syntax alone.
 */
import ts from 'typescript';
import type { Layer } from '../steps.js';
import { skipParentheses } from './sourceText.js';

/** An engine export that source analysis looks for. */
export type EngineName = 'BronzeStep' | 'SilverStep' | 'GoldStep' | 'sql';

const LAYERS: Record<Exclude<EngineName, 'sql'>, Layer> = {
  BronzeStep: 'bronze',
  SilverStep: 'silver',
  GoldStep: 'gold',
};

function isEngineName(name: string): name is EngineName {
  return name === 'sql' || Object.hasOwn(LAYERS, name);
}

// FIXME: resolution ignores scopes: aliases inside functions are not seen, a local variable that
// shadows an engine name inside a function still counts as the engine's, and `x.SilverStep` or
// `x.sql` counts whatever `x` is. Such files get steps or templates wrong until resolved by scope.
/** Resolves local names to engine exports for one file. */
export class EngineNames {
  private readonly aliases = new Map<string, EngineName | null>();

  /** Reads the file's top-level imports, `require` destructuring and constant aliases. */
  constructor(file: ts.SourceFile) {
    for (const statement of file.statements) {
      if (ts.isImportDeclaration(statement)) {
        this.readImport(statement);
      } else if (ts.isVariableStatement(statement)) {
        for (const declaration of statement.declarationList.declarations) {
          this.readDeclaration(declaration);
        }
      }
    }
  }

  /** The layer of the step class an expression names, if it names one. */
  stepLayer(expression: ts.Expression): Layer | undefined {
    const name = this.resolve(expression);
    return name === undefined || name === 'sql' ? undefined : LAYERS[name];
  }

  /** True when a template tag names the engine's `sql` tag. */
  isSqlTag(expression: ts.Expression): boolean {
    return this.resolve(expression) === 'sql';
  }

  /** The engine export an expression names, if any. */
  resolve(expression: ts.Expression): EngineName | undefined {
    const node = skipParentheses(expression);
    if (ts.isIdentifier(node)) {
      const alias = this.aliases.get(node.text);
      if (alias !== undefined) {
        return alias ?? undefined;
      }
      return isEngineName(node.text) ? node.text : undefined;
    }
    const member = memberName(node);
    return member !== undefined && isEngineName(member) ? member : undefined;
  }

  private readImport(declaration: ts.ImportDeclaration): void {
    const clause = declaration.importClause;
    if (clause?.name) {
      this.bind(clause.name.text, null);
    }
    const bindings = clause?.namedBindings;
    if (bindings && ts.isNamespaceImport(bindings)) {
      this.bind(bindings.name.text, null);
    }
    if (!bindings || !ts.isNamedImports(bindings)) {
      return;
    }
    const engine = mayBeEngine(declaration.moduleSpecifier);
    for (const element of bindings.elements) {
      const imported = (element.propertyName ?? element.name).text;
      this.bind(element.name.text, engine && isEngineName(imported) ? imported : null);
    }
  }

  private readDeclaration(declaration: ts.VariableDeclaration): void {
    const { name, initializer } = declaration;
    if (ts.isObjectBindingPattern(name)) {
      const engine = !initializer || mayBeEngine(requiredModule(initializer));
      for (const element of name.elements) {
        if (element.dotDotDotToken || !ts.isIdentifier(element.name)) {
          continue;
        }
        const property = element.propertyName;
        const imported =
          property === undefined
            ? element.name.text
            : ts.isIdentifier(property) || ts.isStringLiteral(property)
              ? property.text
              : undefined;
        const target = engine && imported && isEngineName(imported) ? imported : null;
        this.bind(element.name.text, target);
      }
    } else if (ts.isIdentifier(name) && initializer) {
      this.bind(name.text, this.resolve(initializer) ?? null);
    }
  }

  /** Records what a local name stands for; `null` when it shadows an engine name with another. */
  private bind(local: string, target: EngineName | null): void {
    if (target !== null || isEngineName(local)) {
      this.aliases.set(local, target);
    }
  }
}

/**
 * False for modules other than the engine: another package's `sql` is not the engine's. Relative
 * paths may re-export the engine, so they count.
 */
function mayBeEngine(specifier: ts.Expression | undefined): boolean {
  if (!specifier || !ts.isStringLiteral(specifier)) {
    return true;
  }
  const path = specifier.text;
  return /^(?:@stepwise\/engine(?:\/|$)|\.|\/)/.test(path);
}

/** The module of `require('...')`, when the expression is such a call. */
function requiredModule(node: ts.Expression): ts.Expression | undefined {
  const call = skipParentheses(node);
  return ts.isCallExpression(call) &&
    ts.isIdentifier(call.expression) &&
    call.expression.text === 'require'
    ? call.arguments[0]
    : undefined;
}

/** The member name of `a.Name` or `a['Name']`, if the expression is such an access. */
function memberName(node: ts.Expression): string | undefined {
  if (ts.isPropertyAccessExpression(node)) {
    return node.name.text;
  }
  if (ts.isElementAccessExpression(node)) {
    const argument = skipParentheses(node.argumentExpression);
    if (ts.isStringLiteral(argument) || ts.isNoSubstitutionTemplateLiteral(argument)) {
      return argument.text;
    }
  }
  return undefined;
}
