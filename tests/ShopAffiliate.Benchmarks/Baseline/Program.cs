// What any webhook endpoint must do at least: read the whole body and answer 200. The ceiling for /webhooks/shopify
// on the same machine in the same run (see ../webhooks.sh).
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.SetMinimumLevel(LogLevel.Warning);
var app = builder.Build();
app.MapPost("/webhooks/shopify", async (HttpRequest request) =>
{
    var scratch = new byte[16 * 1024];
    while (await request.Body.ReadAsync(scratch) > 0)
    {
    }
    return Results.Ok();
});
app.Run();
