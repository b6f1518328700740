// GET /assets/{file}: the stylesheet and the pages' scripts (public, cacheable, same origin).
import { ASSETS } from '../web/assets.js';
import { lambda, type HttpResult, type RouteHandler } from '../edge/http.js';

export const serveAsset: RouteHandler = async (event): Promise<HttpResult> => {
  const asset = ASSETS[event.pathParameters?.file ?? ''];
  if (!asset) return { statusCode: 404, headers: { 'content-type': 'text/plain' }, body: 'not found' };
  return {
    statusCode: 200,
    headers: {
      'content-type': asset.type,
      'cache-control': 'public, max-age=300',
      'x-content-type-options': 'nosniff',
    },
    body: asset.body,
  };
};

export const handler = lambda(serveAsset);
