// A stakeholder update as stored and served: the status service (pipeline/) keeps and posts them,
// the API shows them. Declared here, with the module whose words they carry.

export interface StakeholderUpdate {
  id: string;
  incidentId: string;
  status: 'draft' | 'posted';
  /** The incident state the update speaks for. */
  incidentStatus: string;
  /** …and the severity (absent on updates stored before severity changes were told). */
  incidentSeverity?: string;
  /** The update's place among its incident's updates (1, 2, …): event time often gives several the same createdAtMs. */
  sequence?: number;
  text: string;
  createdAtMs: number;
  postedAtMs?: number;
  editedBy?: string;
  postedBy?: string;
}
