/** A well-formedness error at a character offset; `parseXml` turns it into line:column. */
export class XmlSyntaxError extends Error {
  constructor(
    message: string,
    readonly pos: number,
  ) {
    super(message);
  }
}

export const DOCTYPE_REASON = 'DOCTYPE and entity declarations are not allowed (refused to avoid entity expansion and external entities)';
