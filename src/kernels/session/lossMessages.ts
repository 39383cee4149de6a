/** Plain words for the ways a kernel's state gets lost; shared by both transports so users read the same. */
export const lossMessages = {
  died: 'The kernel died and the server restarted it: its variables and imports are lost.',
  deadForGood: 'The kernel died and could not be restarted: its state is lost.',
  restarted: 'The kernel was restarted: its variables and imports are lost.',
  serverDied: 'The Jupyter server stopped: the kernel and its state are lost.',
  removed: 'The kernel was shut down on the server: its state is lost.',
  serverUnreachable: 'The remote Jupyter server did not answer for too long: the connection to the kernel is lost.',
  remoteRestarted: 'The remote Jupyter server came back without this kernel (it was restarted): the state is lost.',
};
