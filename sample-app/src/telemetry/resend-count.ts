// The request option http-client.ts sets on a re-sent request and the bootstrap turns into the CLIENT
// span's http.request.resend_count. Its own module: the bootstrap must not load node:http early.
export const resendCountOption = 'dojoResendCount';
