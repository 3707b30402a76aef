/** Version written into the VRM meta and the generator string; bump when the geometry changes. */
export const MANNEQUIN_VERSION = '1.3.0';
