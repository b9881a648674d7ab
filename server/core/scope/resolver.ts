import { ts, isFunctionLike } from '../syntax/parse';

export type BindingKind = 'var' | 'let' | 'const' | 'param' | 'function' | 'class' | 'import' | 'catch' | 'enum';

/** One declared name. Identity (`id`) is what the analysis compares, never the name. */
export interface Binding {
  id: number;
  name: string;
  kind: BindingKind;
  /** The identifier that declares the name. */
  nameNode: ts.Identifier;
  /** The variable declaration, parameter, function, class or import that holds the name. */
  declaration: ts.Node;
  /** `= initializer` of a simple (non-destructured) variable or parameter. */
  initializer?: ts.Expression;
  /** For imports: the module specifier (`'node:fs'`). */
  importedFrom?: string;
}

/**
 * Lexical name resolution over the raw syntax tree, computed lazily per scope.
 * The compiler's binder would need a Program (and would bind every file); the loops only need the names they touch.
 */
export class ScopeResolver {
  private nextId = 1;
  private readonly scopes = new Map<ts.Node, Map<string, Binding>>();
  private readonly byNameNode = new Map<ts.Identifier, Binding>();

  constructor(readonly sourceFile: ts.SourceFile) {}

  /** The binding an identifier refers to, or undefined for globals and names declared nowhere in the file. */
  private readonly resolved = new Map<ts.Identifier, Binding | null>();

  resolve(identifier: ts.Identifier): Binding | undefined {
    // Each loop of a nest, and each function summary, asks again about the same names.
    const cached = this.resolved.get(identifier);
    if (cached !== undefined) return cached ?? undefined;
    const found = this.resolveUncached(identifier);
    this.resolved.set(identifier, found ?? null);
    return found;
  }

  private resolveUncached(identifier: ts.Identifier): Binding | undefined {
    const own = this.declarationOf(identifier);
    if (own) return own;
    const name = identifier.text;
    for (let at: ts.Node | undefined = identifier.parent; at; at = at.parent) {
      if (!isScopeNode(at)) continue;
      const found = this.declarationsIn(at).get(name);
      if (found) return found;
    }
    return undefined;
  }

  /** The binding declared by this very identifier, if it is a declaration's name. */
  declarationOf(identifier: ts.Identifier): Binding | undefined {
    const cached = this.byNameNode.get(identifier);
    if (cached) return cached;
    const scope = scopeOfDeclarationName(identifier);
    if (!scope) return undefined;
    this.declarationsIn(scope);
    return this.byNameNode.get(identifier);
  }

  declarationsIn(scope: ts.Node): Map<string, Binding> {
    let map = this.scopes.get(scope);
    if (!map) {
      map = new Map();
      this.scopes.set(scope, map);
      this.collect(scope, map);
    }
    return map;
  }

  private add(map: Map<string, Binding>, nameNode: ts.Identifier, kind: BindingKind, declaration: ts.Node, initializer?: ts.Expression, importedFrom?: string): void {
    const binding: Binding = { id: this.nextId++, name: nameNode.text, kind, nameNode, declaration, initializer, importedFrom };
    if (!map.has(binding.name) || kind !== 'var') map.set(binding.name, binding);
    this.byNameNode.set(nameNode, map.get(binding.name)!);
  }

  private addBindingName(map: Map<string, Binding>, name: ts.BindingName, kind: BindingKind, declaration: ts.Node, initializer?: ts.Expression): void {
    if (ts.isIdentifier(name)) {
      this.add(map, name, kind, declaration, initializer);
      return;
    }
    for (const element of name.elements) {
      if (ts.isOmittedExpression(element)) continue;
      this.addBindingName(map, element.name, kind, declaration);
    }
  }

  private collect(scope: ts.Node, map: Map<string, Binding>): void {
    if (isFunctionLike(scope)) {
      if ((ts.isFunctionExpression(scope)) && scope.name) this.add(map, scope.name, 'function', scope);
      for (const parameter of scope.parameters) this.addBindingName(map, parameter.name, 'param', parameter, parameter.initializer);
      if (scope.body) this.collectVarDeclarations(scope.body, map);
      return;
    }
    if (ts.isSourceFile(scope) || ts.isModuleBlock(scope)) {
      this.collectVarDeclarations(scope, map);
      this.collectLexical(scope.statements, map);
      return;
    }
    if (ts.isBlock(scope)) {
      this.collectLexical(scope.statements, map);
      return;
    }
    if (ts.isCaseBlock(scope)) {
      for (const clause of scope.clauses) this.collectLexical(clause.statements, map);
      return;
    }
    if (ts.isForStatement(scope) || ts.isForOfStatement(scope) || ts.isForInStatement(scope)) {
      const init = scope.initializer;
      if (init && ts.isVariableDeclarationList(init) && (init.flags & ts.NodeFlags.BlockScoped)) {
        const kind: BindingKind = init.flags & ts.NodeFlags.Const ? 'const' : 'let';
        for (const d of init.declarations) this.addBindingName(map, d.name, kind, d, d.initializer);
      }
      return;
    }
    if (ts.isCatchClause(scope)) {
      const d = scope.variableDeclaration;
      if (d) this.addBindingName(map, d.name, 'catch', d);
      return;
    }
    if ((ts.isClassExpression(scope)) && scope.name) {
      this.add(map, scope.name, 'class', scope);
    }
  }

  private collectLexical(statements: ts.NodeArray<ts.Statement>, map: Map<string, Binding>): void {
    for (const statement of statements) {
      if (ts.isVariableStatement(statement)) {
        const list = statement.declarationList;
        if (!(list.flags & ts.NodeFlags.BlockScoped)) continue;
        const kind: BindingKind = list.flags & ts.NodeFlags.Const ? 'const' : 'let';
        for (const d of list.declarations) this.addBindingName(map, d.name, kind, d, d.initializer);
      } else if (ts.isFunctionDeclaration(statement) && statement.name) {
        this.add(map, statement.name, 'function', statement);
      } else if (ts.isClassDeclaration(statement) && statement.name) {
        this.add(map, statement.name, 'class', statement);
      } else if (ts.isEnumDeclaration(statement)) {
        this.add(map, statement.name, 'enum', statement);
      } else if (ts.isImportDeclaration(statement)) {
        this.collectImport(statement, map);
      } else if (ts.isImportEqualsDeclaration(statement)) {
        this.add(map, statement.name, 'import', statement);
      }
    }
  }

  private collectImport(statement: ts.ImportDeclaration, map: Map<string, Binding>): void {
    const from = ts.isStringLiteral(statement.moduleSpecifier) ? statement.moduleSpecifier.text : undefined;
    const clause = statement.importClause;
    if (!clause) return;
    if (clause.name) this.add(map, clause.name, 'import', statement, undefined, from);
    const named = clause.namedBindings;
    if (!named) return;
    if (ts.isNamespaceImport(named)) this.add(map, named.name, 'import', statement, undefined, from);
    else for (const element of named.elements) this.add(map, element.name, 'import', element, undefined, from);
  }

  /** `var` and (sloppy-mode) nested function names hoist to the function or file; walks iteratively, skipping nested functions. */
  private collectVarDeclarations(root: ts.Node, map: Map<string, Binding>): void {
    const stack: ts.Node[] = [root];
    while (stack.length > 0) {
      const node = stack.pop()!;
      if (node !== root && (isFunctionLike(node) || ts.isClassLike(node))) continue;
      if (ts.isVariableDeclarationList(node) && !(node.flags & ts.NodeFlags.BlockScoped)) {
        for (const d of node.declarations) this.addBindingName(map, d.name, 'var', d, d.initializer);
      }
      if (ts.isExpression(node) && !ts.isFunctionLike(node) && !ts.isClassLike(node) && node !== root && !ts.isVariableDeclarationList(node)) {
        // Expressions hold no `var` declarations (function expressions are skipped above); saves a big walk on large files.
        continue;
      }
      node.forEachChild((child) => { stack.push(child); });
    }
  }
}

function isScopeNode(node: ts.Node): boolean {
  return ts.isSourceFile(node) || isFunctionLike(node) || ts.isBlock(node) || ts.isForStatement(node)
    || ts.isForOfStatement(node) || ts.isForInStatement(node) || ts.isCatchClause(node) || ts.isCaseBlock(node)
    || ts.isModuleBlock(node) || ts.isClassExpression(node);
}

/** If `identifier` is the name of a declaration, the scope node that declares it. */
function scopeOfDeclarationName(identifier: ts.Identifier): ts.Node | undefined {
  const parent = identifier.parent;
  if (!parent) return undefined;
  let declaration: ts.Node | undefined;
  if ((ts.isVariableDeclaration(parent) || ts.isParameter(parent) || ts.isBindingElement(parent)) && parent.name === identifier) {
    declaration = parent;
    while (ts.isBindingElement(declaration) || ts.isObjectBindingPattern(declaration) || ts.isArrayBindingPattern(declaration)) {
      declaration = declaration.parent;
    }
  } else if ((ts.isFunctionDeclaration(parent) || ts.isClassDeclaration(parent) || ts.isEnumDeclaration(parent)) && parent.name === identifier) {
    return parent.parent;
  } else if ((ts.isFunctionExpression(parent) || ts.isClassExpression(parent)) && parent.name === identifier) {
    return parent;
  } else if (ts.isImportSpecifier(parent) || ts.isImportClause(parent) || ts.isNamespaceImport(parent) || ts.isImportEqualsDeclaration(parent)) {
    let at: ts.Node = parent;
    while (at && !ts.isSourceFile(at) && !ts.isModuleBlock(at)) at = at.parent;
    return at;
  } else {
    return undefined;
  }
  if (ts.isParameter(declaration)) return declaration.parent;
  if (ts.isVariableDeclaration(declaration)) {
    const list = declaration.parent;
    if (ts.isCatchClause(list)) return list;
    if (!ts.isVariableDeclarationList(list)) return undefined;
    if (!(list.flags & ts.NodeFlags.BlockScoped)) {
      for (let at: ts.Node | undefined = list.parent; at; at = at.parent) {
        if (isFunctionLike(at) || ts.isSourceFile(at) || ts.isModuleBlock(at)) return at;
      }
      return undefined;
    }
    const holder = list.parent;
    if (ts.isForStatement(holder) || ts.isForOfStatement(holder) || ts.isForInStatement(holder)) return holder;
    if (ts.isVariableStatement(holder)) return holder.parent.kind === ts.SyntaxKind.CaseClause || holder.parent.kind === ts.SyntaxKind.DefaultClause ? holder.parent.parent : holder.parent;
  }
  return undefined;
}
