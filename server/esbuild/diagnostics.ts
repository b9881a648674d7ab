// A build problem located by offsets into the file; plugin.ts turns it into an esbuild message.
// Offsets rather than esbuild types keep the compiler half of the plugin free of esbuild.

export interface BuildNote {
  text: string;
  /** 0-based offset into the file, when the note points somewhere. */
  at?: number;
}

export interface BuildProblem {
  text: string;
  /** 0-based offsets of the code the problem is about. */
  start: number;
  end: number;
  notes?: BuildNote[];
}
